package org.sparselinear.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.BackendException;

/** The small shared pieces of the GPU backends: transposition, pool sizing, kernel arguments, error text. */
class DeviceHelpersTest {

    private record Signature(String symbol, List<KernelParameter> parameters) implements KernelSignature {}

    private static final class Failure extends DeviceException {
        Failure(String message, int status) {
            super(message, status);
        }

        Failure(String context, DeviceException cause, String advice) {
            super(context, cause, advice);
        }
    }

    @Test
    void hostTransposeChangesLayoutBothWays() {
        float[] rowMajor = {1, 2, 3, 4, 5, 6}; // (2, 3)
        float[] featureMajor = HostTranspose.toFeatureMajor(rowMajor, 2, 3);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, featureMajor);
        assertArrayEquals(rowMajor, HostTranspose.toRowMajor(featureMajor, 2, 3));
    }

    @Test
    void poolLimitComesFromThePropertyOrAQuarterOfDeviceMemory() {
        String property = "sparselinear.test.poolBytes";
        try {
            System.clearProperty(property);
            assertEquals(-1, PoolSizing.configuredLimit(property));
            assertEquals(250, PoolSizing.limit(-1, 1000));
            System.setProperty(property, " 4096 ");
            assertEquals(4096, PoolSizing.configuredLimit(property));
            assertEquals(4096, PoolSizing.limit(4096, 1000));
            for (String bad : new String[] {"-1", "lots"}) {
                System.setProperty(property, bad);
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, () -> PoolSizing.configuredLimit(property));
                assertTrue(
                        e.getMessage()
                                .startsWith("-D" + property + " must be a number of bytes >= 0, got '" + bad + "'"),
                        e.getMessage());
            }
        } finally {
            System.clearProperty(property);
        }
        assertEquals(256 + 256 + 4 * 256, PoolSizing.patternBytes(3, 4, 10));
        assertEquals(
                DeviceBufferPool.sizeClass(4004)
                        + DeviceBufferPool.sizeClass(8004)
                        + 4 * DeviceBufferPool.sizeClass(40_000),
                PoolSizing.patternBytes(1000, 2000, 10_000));
    }

    @Test
    void kernelArgumentsAreCheckedAgainstTheSignature() {
        Signature axpy = new Signature("axpy", KernelParameter.parse("FPPI"));
        KernelArgs<String> args =
                new KernelArgs<String>(axpy).real(1.5f).buffer("x").buffer("y").integer(-3);
        args.check();
        assertEquals(
                List.of(KernelParameter.FLOAT, KernelParameter.BUFFER, KernelParameter.BUFFER, KernelParameter.INT),
                args.kinds());
        assertEquals(Float.floatToRawIntBits(1.5f), args.bits(0));
        assertEquals("y", args.buffer(2));
        assertEquals(-3, args.bits(3));

        IllegalStateException missing = assertThrows(
                IllegalStateException.class,
                new KernelArgs<String>(axpy).real(1f).buffer("x")::check);
        assertEquals("axpy takes 4 parameters, the launch passes 2", missing.getMessage());
        IllegalStateException kind = assertThrows(
                IllegalStateException.class,
                new KernelArgs<String>(axpy).integer(1).buffer("x").buffer("y").integer(2)::check);
        assertEquals("axpy: parameter 0 is a FLOAT, the launch passes a INT", kind.getMessage());
        KernelArgs<String> full =
                new KernelArgs<String>(axpy).real(1f).buffer("x").buffer("y").integer(2);
        IllegalStateException extra = assertThrows(IllegalStateException.class, () -> full.flag(true));
        assertEquals("axpy takes 4 parameters; a 5th was given", extra.getMessage());

        IllegalArgumentException code = assertThrows(IllegalArgumentException.class, () -> KernelParameter.parse("PX"));
        assertTrue(code.getMessage().contains("'X'"), code.getMessage());
        BackendException declared = assertThrows(
                BackendException.class, () -> axpy.checkDeclared(KernelParameter.parse("FPP"), "rebuild it"));
        assertEquals(
                "kernel axpy declares the parameters [FLOAT, BUFFER, BUFFER] in its compiled program, the "
                        + "backend passes [FLOAT, BUFFER, BUFFER, INT]; the kernels and the backend disagree: rebuild it",
                declared.getMessage());
    }

    @Test
    void aStridedMatrixIsPassedAsItsBufferLineStrideAndStride() {
        Signature kernel = new Signature("strided", KernelParameter.parse("PIIP"));
        KernelArgs<String> args = new KernelArgs<String>(kernel)
                .strided(new Strided<>("w", 40, 1))
                .buffer("y");
        args.check();
        assertEquals("w", args.buffer(0));
        assertEquals(40, args.bits(1));
        assertEquals(1, args.bits(2));
        assertEquals("y", args.buffer(3));
    }

    @Test
    void failuresNameTheOperationTheOperandsTheCallAndTheStatus() {
        assertEquals("argmaxRows", DeviceException.describe("argmaxRows"));
        assertEquals("gather (positions 12, k 3)", DeviceException.describe("gather", "positions", 12, "k", 3));
        Failure call = new Failure("cuLaunchKernel failed with CUDA_ERROR_ILLEGAL_ADDRESS (700)", 700);
        Failure wrapped = new Failure(DeviceException.describe("spmm", "batch", 4), call, "; close the backend");
        assertEquals(
                "spmm (batch 4): cuLaunchKernel failed with CUDA_ERROR_ILLEGAL_ADDRESS (700); close the backend",
                wrapped.getMessage());
        assertEquals(700, wrapped.status());
        assertEquals(call, wrapped.getCause());
    }

    @Test
    void aDeviceIsChosenByDefaultIndexOrPartOfItsName() {
        DeviceChoice<String> choice = new DeviceChoice<>(
                "Test", "test.device", "name", name -> name.startsWith("gpu"), name -> name, name -> "device " + name);
        List<String> devices = List.of("cpu zero", "gpu one", "gpu two");
        assertEquals("gpu one", choice.select(null, devices));
        assertEquals("cpu zero", choice.select(" ", List.of("cpu zero", "cpu one")));
        assertEquals("gpu two", choice.select(" 2 ", devices));
        assertEquals("gpu two", choice.select("TWO", devices));
        IllegalArgumentException index =
                assertThrows(IllegalArgumentException.class, () -> choice.select("3", devices));
        assertEquals(
                "-Dtest.device=3: there is no Test device 3; expected an index in [0, 3) or part of a device "
                        + "name. 3 devices found:\n  device cpu zero\n  device gpu one\n  device gpu two",
                index.getMessage());
        IllegalArgumentException name =
                assertThrows(IllegalArgumentException.class, () -> choice.select("tpu", devices));
        assertTrue(
                name.getMessage().startsWith("-Dtest.device=tpu: no Test device's name contains 'tpu'. 3 devices"),
                name.getMessage());
        assertThrows(IllegalArgumentException.class, () -> choice.select("-1", devices));
        assertThrows(IllegalArgumentException.class, () -> choice.select(null, List.of()));
    }
}
