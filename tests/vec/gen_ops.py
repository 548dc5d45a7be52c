#!/usr/bin/env python3
"""Generate ops.c: one inline-asm test per VMX/VSX register instruction
(and per immediate value chosen), driven by the tables in isa/vmx.isa and
isa/vsx.isa. Run from the repository root: python3 tests/vec/gen_ops.py"""
import random, re, sys
random.seed(7)
SKIP = {'mfvscr', 'mtvscr'}
tests = []  # (name, asm text, uses rt, uses ra, uses rb)
def rows(path):
    for line in open(path):
        line = line.split('#')[0].strip()
        if not line or line.startswith('='):
            continue
        c = [x.strip() for x in line.split('|')]
        yield c[0], c[2], c[3] if len(c) > 3 else ''
IMM = {'PS': 2, 'UIM4': 16, 'UIM3': 8, 'UIM2': 4, 'UIM5': 32, 'SHB': 16, 'SIM': 32,
       'ST': 2, 'SIX': 16, 'DM': 4, 'SHW': 4, 'IMM8X': 256}
VREG = {'VRT': '0', 'VRA': '1', 'VRB': '2', 'VRC': '3',
        'XT': '32', 'XS': '34', 'XA': '33', 'XB': '34', 'XC': '35'}
for path in ('isa/vmx.isa', 'isa/vsx.isa'):
    for mn, ops, attrs in rows(path):
        if mn in SKIP or re.match(r'bcdc[tf][zn]', mn) or 'load' in attrs or 'store' in attrs \
                or mn in ('lvsl', 'lvsr'):
            continue
        fields = ops.split(',')
        imms = [f for f in fields if f in IMM]
        choices = [[None]]
        if imms:
            # every value for small ranges, a sample otherwise
            import itertools
            ranges = []
            for f in imms:
                n = IMM[f]
                vals = list(range(n)) if n <= 16 else sorted(set([0, 1, n - 1] + random.sample(range(n), 5)))
                # extract/insert past byte 15 is undefined (QEMU reads a
                # neighbouring register): stay in range
                lim = {'h': 14, 'w': 12, 'd': 8}.get(mn[-1]) if re.match(r'(vextract|vinsert)u?[hwd]$', mn) else None
                if mn in ('xxextractuw', 'xxinsertw'):
                    lim = 12
                if lim is not None and f == 'UIM4':
                    vals = [v for v in vals if v <= lim]
                if f == 'SIM':
                    vals = [v - 16 for v in vals]
                ranges.append(vals)
            choices = list(itertools.product(*ranges))
            if len(choices) > 24:
                choices = [choices[0], choices[-1]] + random.sample(choices, 22)
        for ch in choices:
            it = iter(ch if ch != [None] else [])
            out = []
            for f in fields:
                if f in IMM:
                    out.append(str(next(it)))
                elif f in VREG:
                    # moves use the FPR half sometimes? keep VR half here
                    out.append(VREG[f])
                elif f == 'RT':
                    out.append('%[rt]')
                elif f in ('RA', 'RA0'):
                    out.append('%[ra]')
                elif f == 'RB':
                    out.append('%[rb]')
                else:
                    raise SystemExit('unknown operand %s in %s' % (f, mn))
            if mn.startswith('mtvsr') or mn.startswith('mfvsr'):
                out = [x if x not in ('32', '34') else x for x in out]
            name = mn + ('_' + '_'.join(str(x).replace('-', 'm') for x in ch) if ch != [None] else '')
            tests.append((name, '%s %s' % (mn, ','.join(out))))
# a few VSX forms on the FPR half (vs0-vs31): moves and logical
extra = [('mtvsrd_f', 'mtvsrd 3,%[ra]'), ('mfvsrd_f', 'mfvsrd %[rt],3'),
         ('mtvsrwz_f', 'mtvsrwz 4,%[ra]'), ('mfvsrwz_f', 'mfvsrwz %[rt],4'),
         ('xxlor_f', 'xxlor 3,33,34'), ('xxlxor_f', 'xxlxor 5,5,5')]
tests += extra
fn = []
tab = []
for k, (name, text) in enumerate(tests):
    cname = 't%d' % k
    fn.append('static void %s(struct io *p) { RUN("%s"); }' % (cname, text))
    # vextu[hw][lr]x: indexes past 16 - size are undefined
    m = re.match(r'vextu([bhw])[lr]x', name)
    ramax = {'b': 16, 'h': 15, 'w': 13}[m.group(1)] if m else 0
    tab.append('  {"%s", %s, %d},' % (name.replace('.', 'R'), cname, ramax))
src = open('tests/vec/ops_head.c').read()
src += '\n'.join(fn) + '\n\nstatic const struct test tests[] = {\n' + '\n'.join(tab) + '\n};\n'
src += open('tests/vec/ops_tail.c').read()
open(sys.argv[1] if len(sys.argv) > 1 else 'tests/vec/ops.c', 'w').write(src)
print(len(tests), 'tests')
