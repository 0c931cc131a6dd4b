// The scheduler, device memory and JNI entry points of the CPU emulation described in emu.hpp (tests only).
//
// Threads are coroutines switched by a few lines of x86-64 assembly (callee-saved registers, stack pointer,
// SSE and x87 control words), so a __syncthreads costs nanoseconds, not a system call. Device memory is
// mmap'ed with a guard page right after the end of each allocation, so a kernel that reads past the end of its
// buffer stops the process with SIGSEGV instead of reading a neighbour; new memory is filled with 0xFF bytes
// (NaN as floats, -1 as ints), so a kernel that reads memory nobody wrote shows it.
#include "emu.hpp"

#include <jni.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#if !defined(__x86_64__)
#error "the CUDA emulator's coroutines are written for x86-64"
#endif

extern "C" void emu_switch(void** save_stack_pointer, void* load_stack_pointer);
asm(R"(
    .text
    .globl emu_switch
    .type emu_switch, @function
emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size emu_switch, .-emu_switch
)");

namespace emu {

emu_dim3 block_index;
emu_dim3 block_size;
emu_dim3 grid_size;
emu_dim3* thread_index;

namespace {

enum State { RUNNABLE, AT_BLOCK_BARRIER, AT_WARP_BARRIER, DONE };

struct Thread {
    void* stack_pointer;
    emu_dim3 index;
    int id;
    State state;
    unsigned long long slot;
};

const size_t STACK_BYTES = 64 * 1024;
const size_t PAGE = 4096;

std::vector<Thread> threads;
Thread* current = nullptr;
void* scheduler_stack_pointer = nullptr;
char* stacks = nullptr;
size_t stack_count = 0;
const Kernel* running_kernel = nullptr;
void** running_arguments = nullptr;
std::string failure;
std::mutex launch_lock;

void suspend(State state) {
    current->state = state;
    emu_switch(&current->stack_pointer, scheduler_stack_pointer);
}

void thread_entry() {
    running_kernel->call(running_kernel->function, running_arguments);
    current->state = DONE;
    emu_switch(&current->stack_pointer, scheduler_stack_pointer);
    __builtin_trap();
}

void ensure_stacks(size_t count) {
    if (count <= stack_count) {
        return;
    }
    if (stacks != nullptr) {
        munmap(stacks, stack_count * (STACK_BYTES + PAGE));
    }
    size_t bytes = count * (STACK_BYTES + PAGE);
    stacks = static_cast<char*>(mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                                     -1, 0));
    for (size_t i = 0; i < count; i++) {
        mprotect(stacks + i * (STACK_BYTES + PAGE), PAGE, PROT_NONE);  // guard below each stack
    }
    stack_count = count;
}

void* initial_stack(size_t i) {
    char* top = stacks + (i + 1) * (STACK_BYTES + PAGE);
    uint64_t* sp = reinterpret_cast<uint64_t*>(top);
    unsigned control[2];
    asm volatile("stmxcsr %0" : "=m"(control[0]));
    asm volatile("fnstcw %0" : "=m"(control[1]));
    *--sp = 0;                                             // the entry's caller's slot (never returned to)
    *--sp = reinterpret_cast<uint64_t>(&thread_entry);    // popped by emu_switch's ret
    for (int r = 0; r < 6; r++) {
        *--sp = 0;                                         // rbp, rbx, r12 to r15
    }
    *--sp = static_cast<uint64_t>(control[0]) | (static_cast<uint64_t>(control[1] & 0xffff) << 32);
    return sp;
}

std::string block_name() {
    return "block (" + std::to_string(block_index.x) + ", " + std::to_string(block_index.y) + ", " +
           std::to_string(block_index.z) + ")";
}

// Runs one block to completion, or sets `failure`.
void run_block() {
    const int n = static_cast<int>(threads.size());
    for (int i = 0; i < n; i++) {
        Thread& t = threads[i];
        t.state = RUNNABLE;
        t.stack_pointer = initial_stack(i);
    }
    const int warps = (n + 31) / 32;
    while (true) {
        for (int i = 0; i < n; i++) {
            Thread& t = threads[i];
            if (t.state == RUNNABLE) {
                current = &t;
                thread_index = &t.index;
                emu_switch(&scheduler_stack_pointer, t.stack_pointer);
            }
        }
        if (!failure.empty()) {
            return;
        }
        int done = 0;
        int at_block = 0;
        for (const Thread& t : threads) {
            done += t.state == DONE;
            at_block += t.state == AT_BLOCK_BARRIER;
        }
        if (done == n) {
            return;
        }
        bool released = false;
        for (int w = 0; w < warps; w++) {
            const int first = w * 32;
            const int last = first + 32 < n ? first + 32 : n;
            int waiting = 0;
            int exited = 0;
            for (int i = first; i < last; i++) {
                waiting += threads[i].state == AT_WARP_BARRIER;
                exited += threads[i].state == DONE;
            }
            if (waiting > 0 && waiting + exited == last - first && exited > 0) {
                failure = "in " + block_name() + ", warp " + std::to_string(w) + ": " + std::to_string(waiting) +
                          " lanes wait at a warp shuffle, vote or __syncwarp that " + std::to_string(exited) +
                          " exited lanes never reach";
                return;
            }
            if (waiting == last - first) {
                for (int i = first; i < last; i++) {
                    threads[i].state = RUNNABLE;
                }
                released = true;
            }
        }
        if (released) {
            continue;
        }
        if (at_block > 0 && at_block + done == n) {
            if (done > 0) {
                failure = "in " + block_name() + ": " + std::to_string(at_block) +
                          " threads wait at __syncthreads that " + std::to_string(done) +
                          " threads of the block never reach (they returned)";
                return;
            }
            for (Thread& t : threads) {
                t.state = RUNNABLE;
            }
            continue;
        }
        int at_warp = 0;
        for (const Thread& t : threads) {
            at_warp += t.state == AT_WARP_BARRIER;
        }
        failure = "deadlock in " + block_name() + ": " + std::to_string(at_block) + " threads wait at __syncthreads, " +
                  std::to_string(at_warp) + " at warp operations whose warps are not complete, " +
                  std::to_string(done) + " returned (divergent barriers)";
        return;
    }
}

struct Allocation {
    char* base;
    size_t bytes;
};
std::map<uintptr_t, Allocation> allocations;
std::mutex memory_lock;

}  // namespace

void sync_block() {
    suspend(AT_BLOCK_BARRIER);
}

int sync_block_count(int predicate) {
    current->slot = predicate != 0;
    suspend(AT_BLOCK_BARRIER);
    int count = 0;
    for (const Thread& t : threads) {
        count += static_cast<int>(t.slot);
    }
    suspend(AT_BLOCK_BARRIER);
    return count;
}

void sync_warp() {
    suspend(AT_WARP_BARRIER);
}

int lane() {
    return current->id & 31;
}

unsigned long long warp_exchange(unsigned long long mine, int from_lane) {
    current->slot = mine;
    suspend(AT_WARP_BARRIER);
    const int source = (current->id & ~31) + from_lane;
    unsigned long long value = mine;
    if (from_lane < 0 || from_lane > 31 || source >= static_cast<int>(threads.size())) {
        if (failure.empty()) {
            failure = "in " + block_name() + ": a shuffle reads lane " + std::to_string(from_lane) +
                      ", which does not exist";
        }
    } else {
        value = threads[source].slot;
    }
    suspend(AT_WARP_BARRIER);
    return value;
}

unsigned warp_ballot(int predicate) {
    current->slot = predicate != 0;
    suspend(AT_WARP_BARRIER);
    const int first = current->id & ~31;
    unsigned bits = 0;
    for (int i = 0; i < 32 && first + i < static_cast<int>(threads.size()); i++) {
        bits |= static_cast<unsigned>(threads[first + i].slot) << i;
    }
    suspend(AT_WARP_BARRIER);
    return bits;
}

}  // namespace emu

namespace {

std::string launch(const char* name, const unsigned grid[3], const unsigned block[3], const long long* slots,
                   const int* sizes, int count) {
    const emu::Kernel* kernel = emu::find_kernel(name);
    if (kernel == nullptr) {
        return std::string("no kernel named ") + name + " in the emulated module";
    }
    if (kernel->arity != count) {
        return std::string(name) + " takes " + std::to_string(kernel->arity) + " parameters, the launch passed " +
               std::to_string(count);
    }
    for (int i = 0; i < count; i++) {
        if (kernel->sizes[i] != sizes[i]) {
            return std::string(name) + ": parameter " + std::to_string(i) + " is " + std::to_string(kernel->sizes[i]) +
                   " bytes, the launch passed " + std::to_string(sizes[i]);
        }
    }
    const unsigned long long threads = 1ull * block[0] * block[1] * block[2];
    if (threads == 0 || threads > 1024 || grid[0] == 0 || grid[1] == 0 || grid[2] == 0 || grid[1] > 65535 ||
        grid[2] > 65535 || block[2] > 64) {
        return std::string(name) + ": invalid launch configuration";
    }
    std::vector<void*> arguments(count);
    for (int i = 0; i < count; i++) {
        arguments[i] = const_cast<long long*>(&slots[i]);
    }
    emu::ensure_stacks(threads);
    emu::threads.assign(threads, emu::Thread{});
    for (unsigned i = 0; i < threads; i++) {
        emu::Thread& t = emu::threads[i];
        t.id = static_cast<int>(i);
        t.index = emu_dim3{i % block[0], (i / block[0]) % block[1], i / (block[0] * block[1])};
    }
    emu::block_size = emu_dim3{block[0], block[1], block[2]};
    emu::grid_size = emu_dim3{grid[0], grid[1], grid[2]};
    emu::running_kernel = kernel;
    emu::running_arguments = arguments.data();
    emu::failure.clear();
    for (unsigned z = 0; z < grid[2]; z++) {
        for (unsigned y = 0; y < grid[1]; y++) {
            for (unsigned x = 0; x < grid[0]; x++) {
                emu::block_index = emu_dim3{x, y, z};
                emu::run_block();
                if (!emu::failure.empty()) {
                    return std::string(name) + ": " + emu::failure;
                }
            }
        }
    }
    return std::string();
}

}  // namespace

extern "C" {

JNIEXPORT jlong JNICALL Java_org_sparselinear_backend_cuda_EmulatedDevice_nativeAllocate(JNIEnv*, jclass,
                                                                                         jlong bytes) {
    const size_t rounded = (static_cast<size_t>(bytes) + 255) / 256 * 256;
    const size_t pages = (rounded + emu::PAGE - 1) / emu::PAGE;
    const size_t total = (pages + 1) * emu::PAGE;
    void* base = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        return 0;
    }
    char* guard = static_cast<char*>(base) + pages * emu::PAGE;
    mprotect(guard, emu::PAGE, PROT_NONE);
    char* start = guard - rounded;
    std::memset(start, 0xff, rounded);
    std::lock_guard<std::mutex> hold(emu::memory_lock);
    emu::allocations[reinterpret_cast<uintptr_t>(start)] = emu::Allocation{static_cast<char*>(base), total};
    return static_cast<jlong>(reinterpret_cast<uintptr_t>(start));
}

JNIEXPORT jboolean JNICALL Java_org_sparselinear_backend_cuda_EmulatedDevice_nativeFree(JNIEnv*, jclass,
                                                                                       jlong address) {
    std::lock_guard<std::mutex> hold(emu::memory_lock);
    auto found = emu::allocations.find(static_cast<uintptr_t>(address));
    if (found == emu::allocations.end()) {
        return JNI_FALSE;
    }
    munmap(found->second.base, found->second.bytes);
    emu::allocations.erase(found);
    return JNI_TRUE;
}

JNIEXPORT void JNICALL Java_org_sparselinear_backend_cuda_EmulatedDevice_nativeWriteFloats(
        JNIEnv* env, jclass, jlong address, jfloatArray data, jint offset, jint count) {
    env->GetFloatArrayRegion(data, offset, count, reinterpret_cast<jfloat*>(address));
}

JNIEXPORT void JNICALL Java_org_sparselinear_backend_cuda_EmulatedDevice_nativeWriteInts(
        JNIEnv* env, jclass, jlong address, jintArray data, jint offset, jint count) {
    env->GetIntArrayRegion(data, offset, count, reinterpret_cast<jint*>(address));
}

JNIEXPORT void JNICALL Java_org_sparselinear_backend_cuda_EmulatedDevice_nativeReadFloats(
        JNIEnv* env, jclass, jlong address, jfloatArray data, jint offset, jint count) {
    env->SetFloatArrayRegion(data, offset, count, reinterpret_cast<const jfloat*>(address));
}

JNIEXPORT void JNICALL Java_org_sparselinear_backend_cuda_EmulatedDevice_nativeReadInts(
        JNIEnv* env, jclass, jlong address, jintArray data, jint offset, jint count) {
    env->SetIntArrayRegion(data, offset, count, reinterpret_cast<const jint*>(address));
}

JNIEXPORT void JNICALL Java_org_sparselinear_backend_cuda_EmulatedDevice_nativeReadLongs(
        JNIEnv* env, jclass, jlong address, jlongArray data, jint offset, jint count) {
    env->SetLongArrayRegion(data, offset, count, reinterpret_cast<const jlong*>(address));
}

JNIEXPORT void JNICALL Java_org_sparselinear_backend_cuda_EmulatedDevice_nativeCopy(JNIEnv*, jclass, jlong target,
                                                                                   jlong source, jlong bytes) {
    std::memmove(reinterpret_cast<void*>(target), reinterpret_cast<const void*>(source), static_cast<size_t>(bytes));
}

JNIEXPORT void JNICALL Java_org_sparselinear_backend_cuda_EmulatedDevice_nativeFill32(JNIEnv*, jclass, jlong address,
                                                                                     jint bits, jlong count) {
    int32_t* words = reinterpret_cast<int32_t*>(address);
    for (jlong i = 0; i < count; i++) {
        words[i] = bits;
    }
}

JNIEXPORT jstring JNICALL Java_org_sparselinear_backend_cuda_EmulatedDevice_nativeLaunch(
        JNIEnv* env, jclass, jstring kernel, jint gridX, jint gridY, jint gridZ, jint blockX, jint blockY, jint blockZ,
        jlongArray slots, jintArray sizes) {
    const char* name = env->GetStringUTFChars(kernel, nullptr);
    const int count = env->GetArrayLength(slots);
    std::vector<long long> slotValues(count);
    std::vector<int> sizeValues(count);
    env->GetLongArrayRegion(slots, 0, count, reinterpret_cast<jlong*>(slotValues.data()));
    env->GetIntArrayRegion(sizes, 0, count, reinterpret_cast<jint*>(sizeValues.data()));
    const unsigned grid[3] = {static_cast<unsigned>(gridX), static_cast<unsigned>(gridY), static_cast<unsigned>(gridZ)};
    const unsigned block[3] = {static_cast<unsigned>(blockX), static_cast<unsigned>(blockY),
                               static_cast<unsigned>(blockZ)};
    std::string error;
    {
        std::lock_guard<std::mutex> hold(emu::launch_lock);
        error = launch(name, grid, block, slotValues.data(), sizeValues.data(), count);
    }
    env->ReleaseStringUTFChars(kernel, name);
    return error.empty() ? nullptr : env->NewStringUTF(error.c_str());
}

}  // extern "C"
