/* Prints the primes below a limit (a sieve); the limit is the first argument, 50 by default. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    int limit = argc > 1 ? atoi(argv[1]) : 50;
    if (limit < 2) {
        fprintf(stderr, "usage: primes LIMIT (>= 2)\n");
        return 2;
    }
    char *composite = calloc((size_t)limit, 1);
    if (!composite) return 1;
    int count = 0;
    printf("primes below %d:", limit);
    for (int n = 2; n < limit; n++) {
        if (composite[n]) continue;
        count++;
        printf(" %d", n);
        for (long m = (long)n * n; m < limit; m += n) composite[m] = 1;
    }
    printf("\ncount=%d\n", count);
    free(composite);
    return 0;
}
