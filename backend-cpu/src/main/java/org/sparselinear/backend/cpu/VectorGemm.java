package org.sparselinear.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A register-blocked dense product with explicit SIMD through the Vector API
 * ({@code jdk.incubator.vector}), multi-threaded over the backend's {@link WorkerPool}; used
 * when the JVM runs with {@code --add-modules jdk.incubator.vector} (see {@link DenseGemm}).
 *
 * <p>The layered blocking of Goto and van de Geijn, "Anatomy of high-performance matrix
 * multiplication", ACM Transactions on Mathematical Software 34(3), 2008: the depth is cut into
 * slices of {@value #DEPTH_BLOCK} and the rows of {@code op(A)} into blocks of at most
 * {@value #ROW_BLOCK}; each (row block, depth slice) of {@code op(A)} is packed into contiguous
 * micro-panels of {@link #TILE_ROWS} rows (zero-padded) that stay in the L2 cache while every
 * column tile of {@code C} passes over them. The micro-kernel keeps a tile of {@link #TILE_ROWS}
 * x {@value #TILE_COLUMNS} of {@code C} (two vectors by four columns) in eight registers and
 * updates it with eight fused multiply-adds per step of depth: two vector loads from the panel
 * and four broadcasts from {@code op(B)}. {@code op(B)} is read in place: one scalar per column
 * per step, from four sequential streams when {@code B} is untransposed and from four neighbours
 * when it is transposed; only the last, narrower column tile is copied, zero-padded. Tiles cut by
 * the edge of {@code C} are computed whole in a scratch tile and their valid part copied out.
 *
 * <p>The threads take disjoint tiles of {@code C}, split along its columns, or along its rows when
 * it has more row tiles than column tiles; each packs the part of {@code op(A)} it reads. Every
 * element is summed in the same order (by depth) whichever thread computes it, so the result does
 * not depend on the thread count.
 */
final class VectorGemm implements ColumnMajorGemm {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    /** Rows of a tile of {@code C}: two vectors. */
    static final int TILE_ROWS = 2 * LANES;

    /** Columns of a tile of {@code C}. */
    static final int TILE_COLUMNS = 4;

    /** Depth of a packed slice of {@code op(A)} and of the read slice of {@code op(B)}. */
    static final int DEPTH_BLOCK = 256;

    /** Rows of {@code op(A)} packed at once (a multiple of {@link #TILE_ROWS}); with the depth, 256 KiB. */
    static final int ROW_BLOCK = Math.max(1, 256 / TILE_ROWS) * TILE_ROWS;

    private final WorkerPool pool;

    /** Each thread's buffers, kept between calls (at most 260 KiB a thread). */
    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

    VectorGemm(WorkerPool pool) {
        this.pool = pool;
    }

    /**
     * Whether a product with {@code m} rows in {@code C} is worth a tile: a single row (a batch of one) is a
     * matrix-vector product, which {@link EjmlGemm} computes 2-4 times faster than a tile of {@link #TILE_ROWS}
     * rows with one in use; from two rows on, the tiles are faster (measured at 50 and 2000 columns).
     */
    static boolean suits(int m) {
        return m > 1;
    }

    @Override
    public void multiply(
            float[] a,
            boolean transposeA,
            float[] b,
            boolean transposeB,
            float[] c,
            int m,
            int n,
            int k,
            boolean accumulate) {
        Operands operands = new Operands(a, transposeA, b, transposeB, c, m, n, k, accumulate);
        int rowTiles = ceilDiv(m, TILE_ROWS);
        int columnTiles = ceilDiv(n, TILE_COLUMNS);
        boolean splitRows = rowTiles > columnTiles;
        int tiles = splitRows ? rowTiles : columnTiles;
        int parts = pool.partsFor((long) m * n * k, tiles);
        pool.run(parts, part -> {
            int first = (int) ((long) tiles * part / parts);
            int last = (int) ((long) tiles * (part + 1) / parts);
            if (splitRows) {
                block(operands, first * TILE_ROWS, Math.min(m, last * TILE_ROWS), 0, n);
            } else {
                block(operands, 0, m, first * TILE_COLUMNS, Math.min(n, last * TILE_COLUMNS));
            }
        });
    }

    /** The operands of one product. */
    private record Operands(
            float[] a,
            boolean transposeA,
            float[] b,
            boolean transposeB,
            float[] c,
            int m,
            int n,
            int k,
            boolean accumulate) {

        /** Distance in {@code b} between {@code op(B)(p, j)} and {@code op(B)(p + 1, j)}. */
        int bDepthStride() {
            return transposeB ? n : 1;
        }

        /** Distance in {@code b} between {@code op(B)(p, j)} and {@code op(B)(p, j + 1)}. */
        int bColumnStride() {
            return transposeB ? 1 : k;
        }
    }

    /** One thread's scratch: packed panels of {@code op(A)}, a padded column tile of {@code op(B)}, a tile of {@code C}. */
    private static final class Workspace {
        float[] panels = new float[0];
        final float[] edgeColumns = new float[DEPTH_BLOCK * TILE_COLUMNS];
        final float[] edgeTile = new float[TILE_ROWS * TILE_COLUMNS];

        float[] panels(int size) {
            if (panels.length < size) {
                panels = new float[size];
            }
            return panels;
        }
    }

    /** {@code C[rows, columns] (+)= op(A)[rows, :] op(B)[:, columns]} for rows in [r0, r1) and columns in [j0, j1). */
    private void block(Operands o, int r0, int r1, int j0, int j1) {
        Workspace workspace = workspaces.get();
        int blockRows = Math.min(ROW_BLOCK, ceilDiv(r1 - r0, TILE_ROWS) * TILE_ROWS);
        float[] panels = workspace.panels(blockRows * Math.min(DEPTH_BLOCK, o.k()));
        int depthStride = o.bDepthStride();
        int columnStride = o.bColumnStride();
        for (int p0 = 0; p0 < o.k(); p0 += DEPTH_BLOCK) {
            int depth = Math.min(DEPTH_BLOCK, o.k() - p0);
            boolean load = o.accumulate() || p0 > 0;
            for (int i0 = r0; i0 < r1; i0 += ROW_BLOCK) {
                int rows = Math.min(ROW_BLOCK, r1 - i0);
                packPanels(o, i0, rows, p0, depth, panels);
                for (int j = j0; j < j1; j += TILE_COLUMNS) {
                    int columns = Math.min(TILE_COLUMNS, j1 - j);
                    float[] bSource = o.b();
                    int bOffset = p0 * depthStride + j * columnStride;
                    int bDepth = depthStride;
                    int bColumn = columnStride;
                    if (columns < TILE_COLUMNS) {
                        padColumns(o, p0, depth, j, columns, workspace.edgeColumns);
                        bSource = workspace.edgeColumns;
                        bOffset = 0;
                        bDepth = TILE_COLUMNS;
                        bColumn = 1;
                    }
                    for (int i = 0; i < rows; i += TILE_ROWS) {
                        int tileRows = Math.min(TILE_ROWS, rows - i);
                        int panel = i * depth;
                        int cOffset = j * o.m() + i0 + i;
                        if (tileRows == TILE_ROWS && columns == TILE_COLUMNS) {
                            tile(panels, panel, depth, bSource, bOffset, bDepth, bColumn, o.c(), cOffset, o.m(), load);
                        } else {
                            float[] edge = workspace.edgeTile;
                            if (load) {
                                copyTile(o.c(), cOffset, o.m(), edge, 0, TILE_ROWS, tileRows, columns);
                            }
                            tile(panels, panel, depth, bSource, bOffset, bDepth, bColumn, edge, 0, TILE_ROWS, load);
                            copyTile(edge, 0, TILE_ROWS, o.c(), cOffset, o.m(), tileRows, columns);
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs {@code op(A)[i0 : i0 + rows, p0 : p0 + depth]} into micro-panels of {@link #TILE_ROWS}
     * rows: panel {@code q}'s element {@code (r, p)} at {@code q * TILE_ROWS * depth + p * TILE_ROWS + r},
     * rows past the end zero.
     */
    private static void packPanels(Operands o, int i0, int rows, int p0, int depth, float[] panels) {
        float[] a = o.a();
        int m = o.m();
        int k = o.k();
        for (int q = 0; q * TILE_ROWS < rows; q++) {
            int first = i0 + q * TILE_ROWS;
            int panelRows = Math.min(TILE_ROWS, rows - q * TILE_ROWS);
            int base = q * TILE_ROWS * depth;
            if (o.transposeA()) {
                // op(A)(i, p) = A(p, i), stored at i * k + p: each row of op(A) is contiguous.
                for (int r = 0; r < panelRows; r++) {
                    int source = (first + r) * k + p0;
                    for (int p = 0; p < depth; p++) {
                        panels[base + p * TILE_ROWS + r] = a[source + p];
                    }
                }
            } else {
                for (int p = 0; p < depth; p++) {
                    System.arraycopy(a, (p0 + p) * m + first, panels, base + p * TILE_ROWS, panelRows);
                }
            }
            if (panelRows < TILE_ROWS) {
                for (int p = 0; p < depth; p++) {
                    int start = base + p * TILE_ROWS;
                    java.util.Arrays.fill(panels, start + panelRows, start + TILE_ROWS, 0f);
                }
            }
        }
    }

    /** Copies {@code op(B)[p0 : p0 + depth, j : j + columns]} into {@code padded}, {@code (p, c)} at {@code p * TILE_COLUMNS + c}, other columns zero. */
    private static void padColumns(Operands o, int p0, int depth, int j, int columns, float[] padded) {
        int depthStride = o.bDepthStride();
        int columnStride = o.bColumnStride();
        float[] b = o.b();
        for (int p = 0; p < depth; p++) {
            for (int c = 0; c < TILE_COLUMNS; c++) {
                padded[p * TILE_COLUMNS + c] = c < columns ? b[(p0 + p) * depthStride + (j + c) * columnStride] : 0f;
            }
        }
    }

    /** Copies a {@code rows x columns} block between column-major arrays with leading dimensions {@code fromStride} and {@code toStride}. */
    private static void copyTile(
            float[] from,
            int fromOffset,
            int fromStride,
            float[] to,
            int toOffset,
            int toStride,
            int rows,
            int columns) {
        for (int c = 0; c < columns; c++) {
            System.arraycopy(from, fromOffset + c * fromStride, to, toOffset + c * toStride, rows);
        }
    }

    /**
     * The micro-kernel: {@code C[tile] = (load ? C[tile] : 0) + panel * op(B)[:, 4 columns]} over
     * {@code depth} steps, the tile ({@link #TILE_ROWS} x {@value #TILE_COLUMNS} at {@code cOffset},
     * columns {@code ldc} apart) held in registers. {@code op(B)(p, c)} is at
     * {@code bOffset + p * bDepth + c * bColumn}.
     */
    private static void tile(
            float[] panels,
            int panel,
            int depth,
            float[] b,
            int bOffset,
            int bDepth,
            int bColumn,
            float[] c,
            int cOffset,
            int ldc,
            boolean load) {
        int c0 = cOffset;
        int c1 = cOffset + ldc;
        int c2 = cOffset + 2 * ldc;
        int c3 = cOffset + 3 * ldc;
        FloatVector s00, s10, s01, s11, s02, s12, s03, s13;
        if (load) {
            s00 = FloatVector.fromArray(SPECIES, c, c0);
            s10 = FloatVector.fromArray(SPECIES, c, c0 + LANES);
            s01 = FloatVector.fromArray(SPECIES, c, c1);
            s11 = FloatVector.fromArray(SPECIES, c, c1 + LANES);
            s02 = FloatVector.fromArray(SPECIES, c, c2);
            s12 = FloatVector.fromArray(SPECIES, c, c2 + LANES);
            s03 = FloatVector.fromArray(SPECIES, c, c3);
            s13 = FloatVector.fromArray(SPECIES, c, c3 + LANES);
        } else {
            s00 = s10 = s01 = s11 = s02 = s12 = s03 = s13 = FloatVector.zero(SPECIES);
        }
        int b0 = bOffset;
        int b1 = bOffset + bColumn;
        int b2 = bOffset + 2 * bColumn;
        int b3 = bOffset + 3 * bColumn;
        int a = panel;
        for (int p = 0; p < depth; p++, a += TILE_ROWS) {
            FloatVector a0 = FloatVector.fromArray(SPECIES, panels, a);
            FloatVector a1 = FloatVector.fromArray(SPECIES, panels, a + LANES);
            int q = p * bDepth;
            FloatVector w = FloatVector.broadcast(SPECIES, b[b0 + q]);
            s00 = a0.fma(w, s00);
            s10 = a1.fma(w, s10);
            w = FloatVector.broadcast(SPECIES, b[b1 + q]);
            s01 = a0.fma(w, s01);
            s11 = a1.fma(w, s11);
            w = FloatVector.broadcast(SPECIES, b[b2 + q]);
            s02 = a0.fma(w, s02);
            s12 = a1.fma(w, s12);
            w = FloatVector.broadcast(SPECIES, b[b3 + q]);
            s03 = a0.fma(w, s03);
            s13 = a1.fma(w, s13);
        }
        s00.intoArray(c, c0);
        s10.intoArray(c, c0 + LANES);
        s01.intoArray(c, c1);
        s11.intoArray(c, c1 + LANES);
        s02.intoArray(c, c2);
        s12.intoArray(c, c2 + LANES);
        s03.intoArray(c, c3);
        s13.intoArray(c, c3 + LANES);
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
