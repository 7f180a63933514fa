/* Peer of the `hnswbuild` bench: USearch's own native build, through its C API, with no .NET in the process.
 * Reads n x d float32 rows (row-major, raw) from a file, builds a cosine HNSW graph with the given connectivity
 * and expansion on T threads (thread t adds rows t, t + T, ...), and prints
 *   `built <n> wall_s <s> cpu_s <s>`   (cpu: user + system of this process, all threads, during the build)
 * Usage: usearch_build <file> <n> <d> <connectivity> <expansion_add> <expansion_search> <threads>
 * Only the few functions used are declared here (the library's C API, c/usearch.h in unum-cloud/usearch). */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

typedef void *index_t;
typedef const char *error_t_;
typedef float (*metric_fn)(void const *, void const *);
enum { METRIC_COS = 1, SCALAR_F32 = 1 };
typedef struct {
    int metric_kind;
    metric_fn metric;
    int quantization;
    size_t dimensions, connectivity, expansion_add, expansion_search;
    bool multi;
} init_options;

index_t usearch_init(init_options *options, error_t_ *error);
void usearch_free(index_t index, error_t_ *error);
void usearch_reserve(index_t index, size_t capacity, error_t_ *error);
void usearch_add(index_t index, uint64_t key, void const *vector, int vector_kind, error_t_ *error);
size_t usearch_size(index_t index, error_t_ *error);
size_t usearch_dimensions(index_t index, error_t_ *error);
size_t usearch_connectivity(index_t index, error_t_ *error);
size_t usearch_expansion_add(index_t index, error_t_ *error);

static index_t index_;
static const float *rows;
static size_t n, d, threads;
static const char *failure;

static void *adder(void *arg) {
    size_t t = (size_t)arg;
    for (size_t i = t; i < n && !failure; i += threads) {
        error_t_ error = NULL;
        usearch_add(index_, (uint64_t)(i + 1), rows + i * d, SCALAR_F32, &error);
        if (error) failure = error;
    }
    return NULL;
}

static double seconds(struct timeval tv) { return tv.tv_sec + tv.tv_usec / 1e6; }

static double cpu_seconds(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return seconds(u.ru_utime) + seconds(u.ru_stime);
}

int main(int argc, char **argv) {
    if (argc != 8) { fprintf(stderr, "usage: usearch_build file n d connectivity expansion_add expansion_search threads\n"); return 2; }
    n = strtoull(argv[2], NULL, 10);
    d = strtoull(argv[3], NULL, 10);
    threads = strtoull(argv[7], NULL, 10);
    float *data = malloc(n * d * sizeof(float));
    FILE *f = fopen(argv[1], "rb");
    if (!data || !f || fread(data, sizeof(float), n * d, f) != n * d) { fprintf(stderr, "%s: cannot read %zu x %zu floats\n", argv[1], n, d); return 2; }
    fclose(f);
    rows = data;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double c0 = cpu_seconds();
    init_options o = { METRIC_COS, NULL, SCALAR_F32, d, strtoull(argv[4], NULL, 10), strtoull(argv[5], NULL, 10),
                       strtoull(argv[6], NULL, 10), false };
    error_t_ error = NULL;
    index_ = usearch_init(&o, &error);
    if (error) { fprintf(stderr, "usearch_init: %s\n", error); return 1; }
    if (usearch_dimensions(index_, &error) != d || usearch_connectivity(index_, &error) != o.connectivity
        || usearch_expansion_add(index_, &error) != o.expansion_add) {
        fprintf(stderr, "usearch_init: the index does not hold the options given (C API layout changed?)\n");
        return 1;
    }
    usearch_reserve(index_, n, &error);
    if (error) { fprintf(stderr, "usearch_reserve: %s\n", error); return 1; }
    pthread_t *pool = malloc(threads * sizeof(pthread_t));
    for (size_t t = 0; t < threads; t++) pthread_create(&pool[t], NULL, adder, (void *)t);
    for (size_t t = 0; t < threads; t++) pthread_join(pool[t], NULL);
    if (failure) { fprintf(stderr, "usearch_add: %s\n", failure); return 1; }
    double cpu = cpu_seconds() - c0;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    size_t size = usearch_size(index_, &error);
    printf("built %zu wall_s %.3f cpu_s %.3f\n", size, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, cpu);
    usearch_free(index_, &error);
    free(pool);
    free(data);
    return size == n ? 0 : 1;
}
