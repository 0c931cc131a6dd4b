// A CPU emulation of the subset of CUDA C++ that the SparseLinear kernels use, for the module's tests on
// machines without a GPU. The kernel sources (src/main/cuda/*.cu) are compiled unchanged by g++ after this
// header; EmulatedDevice (a test class) loads the result through JNI and runs the backend and the
// conformance kit on it.
//
// Each CUDA thread of a block runs as a coroutine on its own stack; the blocks of a launch run one after the
// other. __syncthreads, __syncthreads_count, __syncwarp and the warp shuffles and votes suspend the thread
// until every thread they concern has arrived. The emulation is strict where CUDA leaves behaviour undefined:
// a __syncthreads that some threads of the block never reach (they returned, or wait at a warp operation)
// and a warp operation with exited lanes abort the launch with an error. __shared__ variables become static
// locals, shared by the block because blocks run one at a time. Atomics are plain read-modify-writes (one OS
// thread runs everything).
//
// What it does not model: the timing of real threads, so races between threads that skip a barrier go
// unnoticed; memory-model details (fences, volatile); fast-math intrinsics (not used by the kernels).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

struct emu_dim3 {
    unsigned x, y, z;
};

namespace emu {

extern emu_dim3 block_index;
extern emu_dim3 block_size;
extern emu_dim3 grid_size;
extern emu_dim3* thread_index;

void sync_block();
int sync_block_count(int predicate);
void sync_warp();
int lane();
unsigned long long warp_exchange(unsigned long long mine, int from_lane);
unsigned warp_ballot(int predicate);

template <class T>
inline T shuffle_from(T value, int from_lane) {
    static_assert(sizeof(T) <= 8, "shuffle of more than 8 bytes");
    unsigned long long bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    const unsigned long long got = warp_exchange(bits, from_lane);
    T out;
    std::memcpy(&out, &got, sizeof(T));
    return out;
}

}  // namespace emu

#define threadIdx (*emu::thread_index)
#define blockIdx (emu::block_index)
#define blockDim (emu::block_size)
#define gridDim (emu::grid_size)
#define warpSize 32
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static

inline void __syncthreads() { emu::sync_block(); }
inline int __syncthreads_count(int predicate) { return emu::sync_block_count(predicate); }
inline void __syncwarp(unsigned = 0xffffffffu) { emu::sync_warp(); }
inline void __threadfence() {}
inline void __threadfence_block() {}

template <class T>
inline T __shfl_sync(unsigned, T value, int source, int width = 32) {
    const int lane = emu::lane();
    return emu::shuffle_from(value, (lane & ~(width - 1)) + (source & (width - 1)));
}

template <class T>
inline T __shfl_down_sync(unsigned, T value, unsigned delta, int width = 32) {
    const int lane = emu::lane();
    const int within = lane & (width - 1);
    return emu::shuffle_from(value, within + (int) delta < width ? lane + (int) delta : lane);
}

template <class T>
inline T __shfl_up_sync(unsigned, T value, unsigned delta, int width = 32) {
    const int lane = emu::lane();
    const int within = lane & (width - 1);
    return emu::shuffle_from(value, within >= (int) delta ? lane - (int) delta : lane);
}

template <class T>
inline T __shfl_xor_sync(unsigned, T value, int laneMask, int width = 32) {
    const int lane = emu::lane();
    int from = lane ^ laneMask;
    if ((from & ~(width - 1)) > (lane & ~(width - 1))) {
        from = lane;
    }
    return emu::shuffle_from(value, from);
}

inline unsigned __ballot_sync(unsigned, int predicate) { return emu::warp_ballot(predicate); }
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz((unsigned) x); }
inline int __ffs(int x) { return __builtin_ffs(x); }

inline int __float_as_int(float f) { int i; std::memcpy(&i, &f, 4); return i; }
inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
inline unsigned __float_as_uint(float f) { unsigned i; std::memcpy(&i, &f, 4); return i; }
inline float __uint_as_float(unsigned i) { float f; std::memcpy(&f, &i, 4); return f; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }

inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline long long max(long long a, long long b) { return a > b ? a : b; }
inline unsigned long long min(unsigned long long a, unsigned long long b) { return a < b ? a : b; }
inline unsigned long long max(unsigned long long a, unsigned long long b) { return a > b ? a : b; }

template <class T>
inline T emu_atomic_add(T* address, T value) {
    const T old = *address;
    *address = old + value;
    return old;
}
inline float atomicAdd(float* a, float v) { return emu_atomic_add(a, v); }
inline int atomicAdd(int* a, int v) { return emu_atomic_add(a, v); }
inline unsigned atomicAdd(unsigned* a, unsigned v) { return emu_atomic_add(a, v); }
inline unsigned long long atomicAdd(unsigned long long* a, unsigned long long v) { return emu_atomic_add(a, v); }
inline int atomicMax(int* a, int v) { const int old = *a; if (v > old) *a = v; return old; }
inline unsigned atomicMax(unsigned* a, unsigned v) { const unsigned old = *a; if (v > old) *a = v; return old; }
inline int atomicMin(int* a, int v) { const int old = *a; if (v < old) *a = v; return old; }
inline int atomicCAS(int* a, int compare, int v) { const int old = *a; if (old == compare) *a = v; return old; }
inline int atomicExch(int* a, int v) { const int old = *a; *a = v; return old; }

// The table of kernels that the generated kernels.cpp fills (EMU_KERNEL(name) per kernel).
namespace emu {

struct Kernel {
    const char* name;
    void (*call)(void* function, void** arguments);
    void* function;
    int arity;
    const int* sizes;
};

template <class... A, std::size_t... I>
inline void call_with(void (*function)(A...), void** arguments, std::index_sequence<I...>) {
    function(*static_cast<std::remove_cv_t<std::remove_reference_t<A>>*>(arguments[I])...);
}

template <class... A>
inline void call_erased(void* function, void** arguments) {
    call_with(reinterpret_cast<void (*)(A...)>(function), arguments, std::index_sequence_for<A...>{});
}

template <class... A>
struct Sizes {
    static constexpr int values[sizeof...(A) + 1] = {(int) sizeof(A)..., 0};
};

template <class... A>
inline Kernel kernel(const char* name, void (*function)(A...)) {
    return Kernel{name, &call_erased<A...>, reinterpret_cast<void*>(function), (int) sizeof...(A), Sizes<A...>::values};
}

const Kernel* find_kernel(const char* name);

}  // namespace emu

#define EMU_KERNEL(name) emu::kernel(#name, &name),
