package org.sparselinear.backend.opencl;

import java.util.List;
import org.sparselinear.device.KernelParameter;
import org.sparselinear.device.KernelSignature;

/**
 * Every kernel the backend launches, with its name in the {@code .cl} sources and the kinds of its parameters
 * ({@link KernelParameter#parse}: {@code P} buffer, {@code I} int, {@code F} float). {@link KernelProgram} checks
 * each against the compiled program ({@code CL_KERNEL_NUM_ARGS}, and {@code clGetKernelArgInfo} where the driver
 * keeps argument information), and {@link org.sparselinear.device.KernelArgs} each launch against these.
 */
enum OpenClKernel implements KernelSignature {
    FILL("fill", "PFI"),
    ACTIVATE("activate", "IPPI"),
    ACTIVATE_BACKWARD("activate_backward", "IPPPPII"),
    AXPY("axpy", "FPPI"),
    SCALE("scale", "PFI"),
    DROPOUT("dropout", "PPIIIIIFII"),
    ADD_ROW_VECTOR("add_row_vector", "PPII"),
    SQUARED_ERROR_BACKWARD("squared_error_backward", "PPFPPII"),
    SOFTMAX_XENT_BACKWARD("softmax_xent_backward", "PPPPIII"),
    SGD_STEP("sgd_step", "PPPIFFFII"),
    ADAM_STEP("adam_step", "PPPPFFFFFFI"),
    ADAGRAD_STEP("adagrad_step", "PPPFFFI"),
    SPMM_ROWS_BATCH("spmm_rows_batch", "PPPIPPPII"),
    SPMM_ROWS("spmm_rows", "PPPIPPPIII"),
    SDDMM_ENTRIES("sddmm_entries", "PPPIIPIIPIII"),
    SDDMM_LANES("sddmm_lanes", "PPPIIPIIPIII"),
    SPARSE_LINES_DENSE("sparse_lines_dense", "PPPPIPPIIPIIII"),
    SPARSE_ROWS_THROUGH_COLUMNS("sparse_rows_through_columns", "PPPPPPIPPIII"),
    SPARSE_COLUMN_DOTS("sparse_column_dots", "PPPPPIPPIIPII"),
    GEMM_TILED("gemm_tiled", "IIIPIIPIIPI"),
    LAYER_NORM_ROWS("layer_norm_rows", "PPPFPPPIII"),
    LAYER_NORM_BACKWARD_ROWS("layer_norm_backward_rows", "PPPPPPIII"),
    SOFTMAX_XENT_ROWS("softmax_xent_rows", "PPPPIII"),
    ARGMAX_ROWS("argmax_rows", "PPIII"),
    COLUMN_SUMS("column_sums", "PPII"),
    LAYER_NORM_PARAMETER_GRADS("layer_norm_parameter_grads", "PPPPPIPII"),
    SQUARED_ERROR_PARTIALS("squared_error_partials", "PPPI"),
    SUM_SCALED("sum_scaled", "PIFP"),
    K_WINNERS_ROWS("k_winners_rows", "PPIPPII"),
    BOOST_FACTORS("boost_factors", "PFFPI"),
    GATHER_POSITIONS("gather_positions", "PPPI"),
    GROW_CANDIDATES("grow_candidates", "PPPPIIIIIIPP");

    private final String symbol;
    private final List<KernelParameter> parameters;

    OpenClKernel(String symbol, String codes) {
        this.symbol = symbol;
        this.parameters = KernelParameter.parse(codes);
    }

    @Override
    public String symbol() {
        return symbol;
    }

    @Override
    public List<KernelParameter> parameters() {
        return parameters;
    }
}
