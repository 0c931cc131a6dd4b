package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The grid and block of every kernel, without a GPU. */
class LaunchConfigTest {

    private static void assertLaunch(LaunchConfig config, int gridX, int gridY, int blockX, int blockY) {
        assertEquals(new LaunchConfig(gridX, gridY, 1, blockX, blockY, 1), config, config.toString());
    }

    @Test
    void elementwiseUsesBlocksOf256UpTo65536Blocks() {
        assertLaunch(LaunchConfig.elementwise(1), 1, 1, 256, 1);
        assertLaunch(LaunchConfig.elementwise(256), 1, 1, 256, 1);
        assertLaunch(LaunchConfig.elementwise(257), 2, 1, 256, 1);
        assertLaunch(LaunchConfig.elementwise(Integer.MAX_VALUE - 8), 65_536, 1, 256, 1);
    }

    @Test
    void theSparseGatherCoversTheBatchInChunksOfAtMost128() {
        int[][] lanes = {{1, 1}, {2, 2}, {3, 4}, {5, 8}, {33, 64}, {100, 128}, {128, 128}, {129, 128}, {300, 128}};
        for (int[] pair : lanes) {
            assertEquals(pair[1], LaunchConfig.spmmBatchLanes(pair[0]), "batch lanes of batch " + pair[0]);
        }
        assertLaunch(LaunchConfig.spmmBlockRows(70, 300), 70, 3, 128, 1);
        assertLaunch(LaunchConfig.spmmBlockRows(20_000, 4), 20_000, 1, 128, 1);
        assertLaunch(LaunchConfig.spmmBlockRows(1, 1), 1, 1, 128, 1);
    }

    @Test
    void aBatchOfOneWithShortRowsTakesAWarpPerRow() {
        assertTrue(LaunchConfig.useWarpRows(1, 100, 6400));
        assertFalse(LaunchConfig.useWarpRows(1, 100, 6401));
        assertFalse(LaunchConfig.useWarpRows(2, 100, 10));
        assertLaunch(LaunchConfig.spmmWarpRows(9), 3, 1, 128, 1);
        assertLaunch(LaunchConfig.spmmWarpRows(8), 2, 1, 128, 1);
    }

    @Test
    void sddmmGroupsGiveEachLaneAtLeastFourProducts() {
        int[][] lanes = {{1, 1}, {7, 1}, {8, 2}, {12, 2}, {16, 4}, {32, 8}, {64, 16}, {127, 16}, {128, 32}, {4096, 32}};
        for (int[] pair : lanes) {
            assertEquals(pair[1], LaunchConfig.sddmmGroupLanes(pair[0]), "lanes per entry at batch " + pair[0]);
        }
        assertLaunch(LaunchConfig.sddmm(1000, 1), 4, 1, 256, 1);
        assertLaunch(LaunchConfig.sddmm(1000, 128), 125, 1, 256, 1);
        assertLaunch(LaunchConfig.sddmm(4_000_000, 4), 15_625, 1, 256, 1);
    }

    @Test
    void theSparseInputKernelsRunAThreadPerItemPast2To31Items() {
        assertLaunch(LaunchConfig.sparseInput(1), 1, 1, 256, 1);
        assertLaunch(LaunchConfig.sparseInput(257), 2, 1, 256, 1);
        // 1,000 outputs times 3 million stored inputs: a thread each, more than an int counts
        assertLaunch(LaunchConfig.sparseInput(3_000_000_000L), 11_718_750, 1, 256, 1);
    }

    @Test
    void gemmTakesA64By64TilePerBlock() {
        assertLaunch(LaunchConfig.gemm(130, 70), 3, 2, 256, 1);
        assertLaunch(LaunchConfig.gemm(64, 64), 1, 1, 256, 1);
        assertLaunch(LaunchConfig.gemm(1, 1), 1, 1, 256, 1);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LaunchConfig.gemm(1, 5_000_000));
        assertTrue(e.getMessage().contains("78125 GEMM column tiles"), e.getMessage());
    }

    @Test
    void perRowKernelsShareABlockBetweenUpTo32Rows() {
        int[][] lanes = {{1, 1}, {2, 2}, {3, 4}, {17, 32}, {32, 32}, {1000, 32}};
        for (int[] pair : lanes) {
            assertEquals(pair[1], LaunchConfig.rowLanes(pair[0]), "row lanes of " + pair[0] + " rows");
        }
        assertLaunch(LaunchConfig.perRow(1000), 32, 1, 256, 1);
        assertLaunch(LaunchConfig.perRow(5), 1, 1, 256, 1);
        assertLaunch(LaunchConfig.perColumn(17), 3, 1, 256, 1);
        assertLaunch(LaunchConfig.perColumn(8), 1, 1, 256, 1);
        assertLaunch(LaunchConfig.kWinners(64), 64, 1, 256, 1);
    }

    @Test
    void theTranspositionTilesBothWaysAndLoopsPast65535RowTiles() {
        assertLaunch(LaunchConfig.transpose(33, 65), 3, 2, 32, 8);
        assertLaunch(LaunchConfig.transpose(2_100_000, 2), 1, 65_535, 32, 8);
        assertLaunch(LaunchConfig.transpose(2, 2_100_000), 65_625, 1, 32, 8);
    }

    @Test
    void reductionsAndTheGrowStep() {
        assertEquals(1, LaunchConfig.squaredErrorPartials(0));
        assertEquals(1, LaunchConfig.squaredErrorPartials(256));
        assertEquals(2, LaunchConfig.squaredErrorPartials(257));
        assertEquals(64, LaunchConfig.squaredErrorPartials(1 << 20));
        assertLaunch(LaunchConfig.singleBlock(), 1, 1, 256, 1);
        assertLaunch(LaunchConfig.singleThread(), 1, 1, 1, 1);
        assertLaunch(LaunchConfig.growKeys(1_047_000), 4090, 1, 256, 1);
        assertLaunch(LaunchConfig.growScan(1_047_000), 1024, 1, 256, 1);
        assertLaunch(LaunchConfig.growScan(100), 1, 1, 256, 1);
    }

    @Test
    void configurationsOutsideCudasLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(0, 1, 1, 256, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(1, 65_536, 1, 256, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(1, 1, 1, 1025, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LaunchConfig(1, 1, 1, 64, 32, 1));
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.linear(1L << 31, 256));
        assertEquals("<<<(3, 2, 1), (256, 1, 1)>>>", LaunchConfig.gemm(130, 70).toString());
    }
}
