/* Peak multiply-add rate of one core: independent AVX-512 VNNI vpdpbusd (64 u8 x s8 multiply-adds each) and
 * fp32 vfmadd231ps (16) chains, thread CPU time. The ceiling for MiniLM's int8 and fp32 matrix products.
 *   gcc -O2 -mavx512f -mavx512bw -mavx512vnni bench/vnni-peak.c -o /tmp/vnni-peak && /tmp/vnni-peak */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

#define TEN(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9)

int main(void) {
    const long iters = 30000000;
    __m512i b = _mm512_set1_epi8(3), c = _mm512_set1_epi8(5);
#define DECL_I(i) __m512i a##i = _mm512_set1_epi32(i);
#define STEP_I(i) a##i = _mm512_dpbusd_epi32(a##i, b, c);
    TEN(DECL_I)
    double t0 = now();
    for (long k = 0; k < iters; k++) {
        TEN(STEP_I)
        __asm__ volatile("" : "+v"(a0), "+v"(a1), "+v"(a2), "+v"(a3), "+v"(a4), "+v"(a5), "+v"(a6), "+v"(a7), "+v"(a8), "+v"(a9));
    }
    double t = now() - t0;
    int chk = _mm512_reduce_add_epi32(_mm512_add_epi32(a0, a9));
    printf("vpdpbusd zmm:    %.2f G instr/s = %.1f G int8 MAC/s (%d)\n", iters * 10 / t / 1e9, iters * 640 / t / 1e9, chk);
    __m512 x = _mm512_set1_ps(1.0001f), y = _mm512_set1_ps(0.9999f);
#define DECL_F(i) __m512 f##i = _mm512_set1_ps(i);
#define STEP_F(i) f##i = _mm512_fmadd_ps(f##i, x, y);
    TEN(DECL_F)
    t0 = now();
    for (long k = 0; k < iters; k++) {
        TEN(STEP_F)
        __asm__ volatile("" : "+v"(f0), "+v"(f1), "+v"(f2), "+v"(f3), "+v"(f4), "+v"(f5), "+v"(f6), "+v"(f7), "+v"(f8), "+v"(f9));
    }
    t = now() - t0;
    float fchk = _mm512_reduce_add_ps(_mm512_add_ps(f0, f9));
    printf("vfmadd231ps zmm: %.2f G instr/s = %.1f G fp32 MAC/s (%g)\n", iters * 10 / t / 1e9, iters * 160 / t / 1e9, fchk);
    return 0;
}
