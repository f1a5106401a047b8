/* Prints the CRC-32 (zlib) of each line of a data file installed next to the program. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

int main(void) {
    FILE *f = fopen(DATADIR "/words.txt", "r");
    if (!f) {
        perror(DATADIR "/words.txt");
        return 1;
    }
    char line[256];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        unsigned long crc = crc32(0L, (const Bytef *)line, (uInt)strlen(line));
        printf("%s %08lx\n", line, crc);
    }
    fclose(f);
    printf("zlib %s\n", zlibVersion());
    return 0;
}
