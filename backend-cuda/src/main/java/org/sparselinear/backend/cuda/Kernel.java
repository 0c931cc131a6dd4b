package org.sparselinear.backend.cuda;

import java.util.List;
import org.sparselinear.device.KernelParameter;
import org.sparselinear.device.KernelSignature;

/**
 * Every kernel the backend launches, with the name it has in the PTX (the {@code extern "C"} name in
 * {@code src/main/cuda}) and the kinds of its parameters ({@link KernelParameter#parse}: {@code P} device address,
 * {@code I} int, {@code F} float). {@link KernelModules} checks each against the parameters the PTX declares when
 * the kernels are loaded, and {@link org.sparselinear.device.KernelArgs} each launch against these, so that a
 * kernel whose signature changed fails with a message instead of reading garbage.
 */
enum Kernel implements KernelSignature {
    SPMM_BLOCK_ROWS("sl_spmm_block_rows", "PPPIPPPIII"),
    SPMM_WARP_ROWS("sl_spmm_warp_rows", "PPPIPPPII"),
    SDDMM_GROUPS("sl_sddmm_groups", "PPPIIPIIPIIII"),
    SPARSE_LINES_DENSE("sl_sparse_lines_dense", "PPPPIPPIIPIIII"),
    SPARSE_ROWS_THROUGH_COLUMNS("sl_sparse_rows_through_columns", "PPPPPPIPPIII"),
    SPARSE_COLUMN_DOTS("sl_sparse_column_dots", "PPPPPIPPIIPII"),
    GEMM_TILED("sl_gemm_tiled", "PIIPIIPIIII"),
    ACTIVATE("sl_activate", "IPPI"),
    ACTIVATE_BACKWARD("sl_activate_backward", "IPPPPII"),
    AXPY("sl_axpy", "FPPI"),
    SCALE("sl_scale", "PFI"),
    DROPOUT("sl_dropout", "PPIIIIIFII"),
    ADD_ROW_VECTOR("sl_add_row_vector", "PPII"),
    SOFTMAX_XENT_BACKWARD("sl_softmax_xent_backward", "PPPPIII"),
    SQUARED_ERROR_BACKWARD("sl_squared_error_backward", "PPFPPII"),
    BOOST_FACTORS("sl_boost_factors", "PFFPI"),
    GATHER("sl_gather", "PPPI"),
    SGD_STEP("sl_sgd_step", "PPPIFFFII"),
    ADAM_STEP("sl_adam_step", "PPPPFFFFFFI"),
    ADAGRAD_STEP("sl_adagrad_step", "PPPFFFI"),
    TRANSPOSE("sl_transpose", "PPII"),
    LAYER_NORM_ROWS("sl_layer_norm_rows", "PPPFPPPIII"),
    LAYER_NORM_BACKWARD_ROWS("sl_layer_norm_backward_rows", "PPPPPPIII"),
    SOFTMAX_XENT_ROWS("sl_softmax_xent_rows", "PPPPIII"),
    SUM_SCALED("sl_sum_scaled", "PIFP"),
    SQUARED_ERROR_PARTIALS("sl_squared_error_partials", "PPPI"),
    ARGMAX_ROWS("sl_argmax_rows", "PPIII"),
    COLUMN_SUMS("sl_column_sums", "PPIII"),
    LAYER_NORM_PARAMETER_GRADS("sl_layer_norm_parameter_grads", "PPPPPIPIII"),
    K_WINNERS_ROWS("sl_k_winners_rows", "PPIPPII"),
    GROW_KEYS("sl_grow_keys", "PPPPIIIIIIPP"),
    GROW_SELECT_INIT("sl_grow_select_init", "PI"),
    GROW_HISTOGRAM("sl_grow_histogram", "PIPPI"),
    GROW_CHOOSE("sl_grow_choose", "PPI"),
    GROW_COMPACT("sl_grow_compact", "PIPP");

    private final String symbol;
    private final List<KernelParameter> parameters;

    Kernel(String symbol, String codes) {
        this.symbol = symbol;
        this.parameters = KernelParameter.parse(codes);
    }

    /** The kernel's name in the PTX and the sources. */
    @Override
    public String symbol() {
        return symbol;
    }

    /** The kinds of its parameters, in order. */
    @Override
    public List<KernelParameter> parameters() {
        return parameters;
    }

    /**
     * The bytes a parameter of kind {@code kind} takes in a launch: 8 for a device address ({@code .u64} in the
     * PTX), 4 for an {@code int} or {@code float}.
     */
    static int bytes(KernelParameter kind) {
        return kind == KernelParameter.BUFFER ? 8 : 4;
    }
}
