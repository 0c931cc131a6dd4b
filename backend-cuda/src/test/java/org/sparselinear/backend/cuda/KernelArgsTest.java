package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sparselinear.device.KernelArgs;
import org.sparselinear.device.KernelParameter;

/** The CUDA kernels' arguments are checked against their parameters before a launch, and packed in slots. */
class KernelArgsTest {

    @Test
    void slotsHoldAddressesIntsAndFloatBits() {
        KernelArgs<Long> args = new KernelArgs<Long>(Kernel.AXPY)
                .real(1.5f)
                .buffer(0x7f00_0000_1000L)
                .buffer(256L)
                .integer(-3);
        args.check();
        assertArrayEquals(
                new long[] {Float.floatToRawIntBits(1.5f), 0x7f00_0000_1000L, 256, 0xffff_fffdL},
                EmulatedDevice.slots(args));
        assertArrayEquals(new int[] {4, 8, 8, 4}, EmulatedDevice.sizes(args));
        assertEquals(KernelParameter.FLOAT, args.kind(0));
    }

    @Test
    void aMissingArgumentIsReported() {
        KernelArgs<Long> args =
                new KernelArgs<Long>(Kernel.ACTIVATE).integer(0).buffer(1L).buffer(2L);
        IllegalStateException e = assertThrows(IllegalStateException.class, args::check);
        assertEquals("sl_activate takes 4 parameters, the launch passes 3", e.getMessage());
    }

    @Test
    void anArgumentOfTheWrongKindIsReported() {
        KernelArgs<Long> args =
                new KernelArgs<Long>(Kernel.SCALE).buffer(1L).integer(2).integer(3);
        IllegalStateException e = assertThrows(IllegalStateException.class, args::check);
        assertEquals("sl_scale: parameter 1 is a FLOAT, the launch passes a INT", e.getMessage());
    }

    @Test
    void anArgumentTooManyIsRefused() {
        KernelArgs<Long> args =
                new KernelArgs<Long>(Kernel.GROW_SELECT_INIT).buffer(1L).integer(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> args.flag(true));
        assertEquals("sl_grow_select_init takes 2 parameters; a 3th was given", e.getMessage());
    }
}
