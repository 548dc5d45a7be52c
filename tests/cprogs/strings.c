/* String and memory functions (glibc's POWER9 versions use VSX), at many
 * lengths and alignments. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned h = 2166136261u;
static void mix(const void *p, size_t n) {
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 16777619u;
}

int main(void) {
    static char a[600], b[600], c[600];
    for (int i = 0; i < 600; i++) a[i] = (char)('A' + (i * 7) % 50);
    for (int off = 0; off < 17; off++)
        for (int len = 0; len < 300; len += 7) {
            memset(b, 'x', sizeof b);
            memcpy(b + off, a + (off * 3) % 16, (size_t)len);
            mix(b, sizeof b);
            memmove(b + off + 5, b + off, (size_t)len);
            mix(b, sizeof b);
            memset(c + off, len, (size_t)len);
            mix(c, sizeof c);
            b[off + len] = 0;
            h += (unsigned)strlen(b + off) + (unsigned)memcmp(b, a, (size_t)len) * 3;
            h += (unsigned)(strchr(b + off, 'Q') ? strchr(b + off, 'Q') - b : 0);
            h += (unsigned)(memchr(a, 'A' + len % 50, (size_t)len) != NULL);
        }
    printf("mem %08x\n", h);
    char s[200];
    strcpy(s, "The quick brown fox jumps over the lazy dog");
    strcat(s, " -- and again");
    printf("%zu %s|%s|%d|%d\n", strlen(s), strstr(s, "fox"), strrchr(s, 'o'), strcmp(s, "The"), strncmp(s, "The q", 5));
    for (char *p = s; *p; p++) *p = (char)toupper((unsigned char)*p);
    printf("%s\n", s);
    char *tok, *save, t[] = "a,b,,c;d e";
    for (tok = strtok_r(t, ",; ", &save); tok; tok = strtok_r(NULL, ",; ", &save)) printf("[%s]", tok);
    printf("\n%ld %lu %lld %s\n", strtol("-0x1f", NULL, 16), strtoul("777", NULL, 8), atoll("9223372036854775807"),
           strdup("dup"));
    char num[64];
    snprintf(num, sizeof num, "%d %5.2f %x %o %s %c %%", -42, 3.14159, 255, 8, "str", 'z');
    printf("%s\n", num);
    printf("%d %d %zu\n", strcasecmp("HeLLo", "hello"), strncasecmp("abc", "abd", 3), strspn("aabbcc", "ab"));
    return 0;
}
