package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Kernel arguments are checked against the kernel's parameters before a launch. */
class KernelArgsTest {

    @Test
    void slotsHoldAddressesIntsAndFloatBits() {
        KernelArgs args = new KernelArgs(Kernel.AXPY).real(1.5f).pointer(0x7f00_0000_1000L).pointer(256).integer(-3);
        args.check();
        assertArrayEquals(new long[] {Float.floatToRawIntBits(1.5f), 0x7f00_0000_1000L, 256, 0xffff_fffdL},
                args.slots());
        assertArrayEquals(new int[] {4, 8, 8, 4}, args.sizes());
        assertEquals(Kernel.Param.FLOAT, args.kind(0));
    }

    @Test
    void aMissingArgumentIsReported() {
        KernelArgs args = new KernelArgs(Kernel.ACTIVATE).integer(0).pointer(1).pointer(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, args::check);
        assertEquals("sl_activate takes 4 parameters, the launch passes 3", e.getMessage());
    }

    @Test
    void anArgumentOfTheWrongKindIsReported() {
        KernelArgs args = new KernelArgs(Kernel.SCALE).pointer(1).integer(2).integer(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, args::check);
        assertEquals("sl_scale: parameter 1 is a FLOAT, the launch passes a INT", e.getMessage());
    }

    @Test
    void anArgumentTooManyIsRefused() {
        KernelArgs args = new KernelArgs(Kernel.GROW_SELECT_INIT).pointer(1).integer(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> args.flag(true));
        assertEquals("sl_grow_select_init takes 2 parameters; a 3th was given", e.getMessage());
    }
}
