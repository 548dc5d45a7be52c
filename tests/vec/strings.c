#define _GNU_SOURCE
/* glibc string and memory routines (ifunc-selected POWER8/POWER9 VMX/VSX
 * versions) over many lengths and alignments; prints results and a
 * checksum so qemu-ppc64le and powerlift can be compared. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long h = 1469598103934665603ul;
static void mix(unsigned long v) {
  h ^= v;
  h *= 1099511628211ul;
}
static unsigned long rs = 88172645463325252ul;
static unsigned long rnd(void) {
  rs ^= rs << 13;
  rs ^= rs >> 7;
  rs ^= rs << 17;
  return rs;
}

static char a[512] __attribute__((aligned(64)));
static char b[512] __attribute__((aligned(64)));

static void fill(char *p, int n, int alpha) {
  for (int i = 0; i < n; i++) p[i] = alpha ? 'a' + rnd() % 26 : (char)(1 + rnd() % 255);
}

int main(void) {
  printf("%s %d\n", "hello", 42);
  for (int al = 0; al < 16; al++) {
    for (int bl = 0; bl < 16; bl += 5) {
      for (int len = 0; len < 200; len += (len < 40 ? 1 : 7)) {
        char *x = a + al, *y = b + bl;
        memset(a, 'x', sizeof a);
        memset(b, 'y', sizeof b);
        fill(x, len, len & 1);
        x[len] = 0;
        mix(strlen(x));
        mix(strnlen(x, len / 2 + 1));
        memcpy(y, x, len + 1);
        mix(memcmp(x, y, len + 1) == 0);
        mix(strcmp(x, y));
        if (len) {
          int k = rnd() % len;
          y[k] ^= 0x20;
          mix(strcmp(x, y) > 0 ? 1 : strcmp(x, y) < 0 ? 2 : 3);
          mix(strncmp(x, y, k) == 0);
          mix(memcmp(x, y, len) > 0);
          char c = x[rnd() % len];
          mix((unsigned long)(memchr(x, c, len) ? (char *)memchr(x, c, len) - x : 999));
          mix((unsigned long)(strchr(x, c) ? strchr(x, c) - x : 999));
          mix((unsigned long)(strrchr(x, c) ? strrchr(x, c) - x : 999));
          mix((unsigned long)(memrchr(x, c, len) ? (char *)memrchr(x, c, len) - x : 999));
          mix(strspn(x, "abcdefgh"));
          mix(strcspn(x, "xyz"));
        }
        mix(memchr(x, 0, len + 1) == x + len);
        strcpy(y, x);
        mix(strcmp(x, y));
        mix(stpcpy(y, x) - y);
        memmove(a + 3, a, len);
        memset(x, al, len);
        for (int i = 0; i < len; i++) mix((unsigned char)a[i]);
        strncpy(y, x, len / 3);
        mix((unsigned char)y[len / 3]);
        mix(strcasecmp("HeLLo", "hello"));
      }
    }
    printf("align %2d hash %016lx\n", al, h);
  }
  char *s = malloc(100000);
  memset(s, 'q', 99999);
  s[99999] = 0;
  printf("big %zu %d\n", strlen(s), (int)(strchr(s, 'z') == NULL));
  free(s);
  return 0;
}
