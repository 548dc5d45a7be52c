
int main(void) {
  static struct io io;
  int n = sizeof tests / sizeof tests[0];
  for (int k = 0; k < n; k++) {
    for (int it = 0; it < 40; it++) {
      rvec(io.t);
      rvec(io.a);
      rvec(io.b);
      rvec(io.c);
      io.vscr[0] = io.vscr[1] = 0;
      /* VSCR is word 3 of the register: the low word of the high
       * doubleword in little-endian storage order. */
      io.vscr[0] = (rnd() & 1) ? 0x10000 : 0;
      io.ra = (rnd() & 1) ? rnd() : rnd() % 20;
      io.rb = rnd();
      if (tests[k].ramax) io.ra = (io.ra & ~15ul) | (rnd() % tests[k].ramax);
      f3buf[0] = f3buf[1] = f5buf[0] = f5buf[1] = 0;
      tests[k].fn(&io);
      puts_(tests[k].name);
      putc_(' ');
      hex64(io.out[1]);
      hex64(io.out[0]);
      putc_(' ');
      hex64(io.ovscr[0] & 0xffffffff);
      putc_(' ');
      hex64(io.cr & 0xf0);
      putc_(' ');
      hex64(io.rt);
      putc_(' ');
      hex64(f3buf[0]);
      hex64(f3buf[1]);
      hex64(f5buf[0]);
      hex64(f5buf[1]);
      putc_('\n');
    }
  }
  flush();
  return 0;
}
