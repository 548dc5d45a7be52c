/* C11 atomics on every width (lbarx/lharx/lwarx/ldarx loops), fences,
 * compare-exchange success and failure, and flags. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

static _Atomic uint8_t a8;
static _Atomic uint16_t a16;
static _Atomic uint32_t a32;
static _Atomic uint64_t a64;
static atomic_flag flag = ATOMIC_FLAG_INIT;

int main(void) {
    for (int i = 0; i < 1000; i++) {
        atomic_fetch_add(&a8, 3);
        atomic_fetch_sub(&a16, 7);
        atomic_fetch_xor(&a32, (uint32_t)i * 2654435761u);
        atomic_fetch_add_explicit(&a64, (uint64_t)i << 33, memory_order_relaxed);
        atomic_fetch_or(&a16, (uint16_t)(1u << (i % 16)));
        atomic_fetch_and(&a8, (uint8_t)~(1u << (i % 8)));
    }
    printf("%u %u %u %llu\n", a8, a16, a32, (unsigned long long)a64);
    uint32_t expect = 5;
    int ok = atomic_compare_exchange_strong(&a32, &expect, 9);
    printf("cas fail: %d expect now %u\n", ok, expect);
    ok = atomic_compare_exchange_strong(&a32, &expect, 9);
    printf("cas ok: %d value %u\n", ok, atomic_load(&a32));
    uint64_t e64 = atomic_load(&a64);
    while (!atomic_compare_exchange_weak(&a64, &e64, e64 * 3 + 1)) {
    }
    printf("weak %llu\n", (unsigned long long)atomic_load(&a64));
    uint8_t e8 = a8;
    printf("cas8 %d\n", atomic_compare_exchange_strong(&a8, &e8, 200));
    uint16_t old = atomic_exchange(&a16, 0xbeef);
    printf("xchg %u -> %u\n", old, atomic_load(&a16));
    printf("flag %d %d", atomic_flag_test_and_set(&flag), atomic_flag_test_and_set(&flag));
    atomic_flag_clear(&flag);
    printf(" %d\n", atomic_flag_test_and_set(&flag));
    atomic_thread_fence(memory_order_seq_cst);
    _Atomic double d = 1.5;
    for (int i = 0; i < 10; i++) {
        double cur = atomic_load(&d);
        while (!atomic_compare_exchange_weak(&d, &cur, cur * 1.25 + i)) {
        }
    }
    printf("double %.17g lockfree %d %d\n", atomic_load(&d), atomic_is_lock_free(&a64), atomic_is_lock_free(&a8));
    return 0;
}
