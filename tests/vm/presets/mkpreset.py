#!/usr/bin/env python3
# mkpreset.py DRIVER.c STATEFILE BLOCK SET [REMAP]: the scarlett-emu
# commands that
# give an emulated Scarlett the state that block state.BLOCK of an alsactl
# dump shows.  DRIVER.c is the kernel's sound/usb/mixer_scarlett2.c (for
# its table of mix gains); SET is the driver's config set: gen3, gen2,
# nomixer, clarett, gen4_solo, gen4_2i2, gen4_4i4, vocaster.  REMAP is the driver's line_out_remap of the model,
# if it has one (18i8 Gen 3: 0,1,6,7,2,3,4,5): line out control i shows
# port REMAP[i].  Only the items the dump has controls for are written.
import re, sys

drv, path, block, cset = sys.argv[1:5]
remap = [int(x) for x in sys.argv[5].split(',')] if len(sys.argv) > 5 else []
def ports(vals):
    # values per line out control, in the order of the device's ports
    if not remap or not vals:
        return vals
    out = list(vals)
    for i, v in enumerate(vals):
        if i < len(remap):
            out[remap[i]] = v
    return out
src = open(drv).read()
tab = re.search(r'scarlett2_mixer_values\[SCARLETT2_MIXER_VALUE_COUNT\] = \{(.*?)\};', src, re.S).group(1)
gains = [int(x) for x in re.findall(r'\d+', tab)]

text = open(path).read()
m = re.search(r'^state\.' + re.escape(block) + r' \{\n(.*?)^\}', text, re.S | re.M)
c = {}
for ctl in re.finditer(r'\tcontrol\.\d+ \{\n(.*?)\n\t\}', m.group(1), re.S):
    body = ctl.group(1)
    name = re.search(r"\t\tname '?(.*?)'?\n", body).group(1)
    vals = [v.strip("'") for v in re.findall(r"\t\tvalue(?:\.\d+)? (.*)\n", body)]
    c[name] = vals[0] if len(vals) == 1 else vals

OFF = {
    'gen3': dict(dim_mute=0x31, vol=0x34, hwvol=0x48, mute=0x5c, swhw=0x66,
                 master=0x76, level=0x7c, pad=0x84, air=0x8c, standalone=0x95,
                 phantom=0x9c, msd=0x9d, persist=0x9e, mo_switch=0x9f,
                 mo_enable=0xa0, talkback=0xb0, spdif=0x94),
    'gen2': dict(dim_mute=0x31, vol=0x34, hwvol=0x48, mute=0x5c, swhw=0x66,
                 master=0x76, level=0x7c, pad=0x84, standalone=0x8d),
    'nomixer': dict(msd=0x04, persist=0x05, phantom8=0x06, direct=0x07,
                    levelbits=0x08, airbits=0x09),
    'clarett': dict(dim_mute=0x31, vol=0x34, hwvol=0x48, mute=0x5c, swhw=0x66,
                    master=0x76, level=0x7c, air=0x95, standalone=0x8d,
                    spdifsrc=0x9e),
    'vocaster': dict(msd=0x9d, autogain=0x1c0, agstatus=0x1c2, aghot=0xc1,
                     gain=0x9f, phantom=0x9c, dsp=0x1c4, comp=0x1c8,
                     precompsw=0x7c, precomp=0x200, peqsw=0x84, peq=0x250,
                     inmute=0x1be),
    'gen4_4i4': dict(msd=0x5c, autogain=0x13e, agstatus=0x140, agmean=0x13a,
                     agpeak=0x13b, phantom8=0x5a, gain=0x5e, level=0x4e,
                     safe=0x150, airenum=0x50, select=0x153, link=0x156,
                     master=0x32, hpvol=0x3a, powerext=0x168, powerlow=0x16d),
    'gen4_solo': dict(msd=0x47, direct=0x108, phantom8=0x46, level=0x3d,
                      airenum=0x3e, pcminput=0x206, dmgain=0x232),
    'gen4_2i2': dict(msd=0x49, direct=0x14a, autogain=0x135, agstatus=0x137,
                     agmean=0x131, agpeak=0x132, phantom8=0x48, gain=0x4b,
                     level=0x3c, safe=0x147, airenum=0x3e, select=0x14b,
                     link=0x14e, dmgain=0x2a0),
}[cset]
out = []
def cfg(key, vals, comment, w=''):
    if key in OFF and vals:
        out.append('config%s 0x%02x %s\t# %s' % (w, OFF[key], ' '.join(str(v) for v in vals), comment))
b = lambda v: 1 if v == 'true' else 0
def seq(fmt, conv, start=1, n=32):
    r = []
    for i in range(start, start + n):
        if fmt % i not in c:
            break
        r.append(conv(c[fmt % i]))
    return r
if 'MSD Mode Switch' in c or cset != 'gen2':
    cfg('msd', [b(c.get('MSD Mode Switch', 'false'))], 'MSD mode')
lvi = [(i, 0 if c[k] == 'Line' else 1) for i in range(1, 9)
       for k in ['Line In %d Level Capture Enum' % i] if k in c]
lv = [v for i, v in lvi]
cfg('level', lv, 'level: line (0) or inst (1)')
cfg('levelbits', [sum(v << (i - 1) for i, v in lvi)] if lv else [], 'level bits')
cfg('airenum', [['Off', 'Presence', 'Presence + Drive'].index(c[k])
                 for i in range(1, 9)
                 for k in ['Line In %d Air Capture Enum' % i] if k in c],
    'air: off, presence, presence + drive')
if 'PCM Input Capture Switch' in c:
    cfg('pcminput', [['Direct', 'Mixer'].index(c['PCM Input Capture Switch'])], 'PCM input: direct, mixer')
cfg('gain', seq('Line In %d Gain Capture Volume', int), 'input gains')
cfg('safe', seq('Line In %d Safe Capture Switch', b), 'safe mode')
ags = seq('Line In %d Autogain Capture Switch', b)
cfg('autogain', ags, 'autogain')
AGS = ['Running', 'Success', 'SuccessDRover', 'WarnMinGainLimit',
       'FailDRunder', 'FailMaxGainLimit', 'FailClipped', 'Cancelled',
       'Invalid']
cfg('agstatus', [max(AGS.index(v) - 1, 0) for v in
                 seq('Line In %d Autogain Status Capture Enum', str)],
    'autogain status, as the driver\'s texts less one')
if 'Headphone Playback Volume' in c:
    cfg('hpvol', [int(c['Headphone Playback Volume']) - 127], 'headphone volume - 127', '16')
if 'Power Status Card Enum' in c:
    p = c['Power Status Card Enum']
    cfg('powerext', [1 if p == 'External' else 0], 'external power')
    cfg('powerlow', [1 if p == 'Fail' else 0], 'power too low')
if 'Autogain Hot Target' in c:
    cfg('aghot', [-int(c['Autogain Hot Target'])], 'autogain hot target, -dBFS')
cfg('dsp', seq('Line In %d DSP Capture Switch', b), 'DSP')
cfg('inmute', seq('Line In %d Mute Capture Switch', b), 'input mute')
# The compressor as the device holds it: values << the driver's scale.
comp = []
for i in range(1, 3):
    for name, shift in (('Enable', 0), ('Threshold', 24), ('Ratio', 23),
                        ('Knee Width', 24), ('Attack', 24), ('Release', 24),
                        ('Makeup Gain', 24)):
        k = 'Line In %d Compressor %s' % (i, name)
        if k in c:
            v = c[k]
            comp.append((b(v) if v in ('true', 'false') else int(v)) << shift)
cfg('comp', comp, 'compressor: enable, threshold, ratio, knee, attack, release, makeup', '32')
cfg('precompsw', seq('Line In %d Pre-Comp Filter Enable', b), 'pre-compressor filter', '32')
cfg('peqsw', seq('Line In %d PEQ Filter Enable', b), 'PEQ filter', '32')
for key, what in (('precomp', 'Pre-Comp'), ('peq', 'PEQ')):
    co = []
    for j in range(1, 9):
        k = 'Line In 1 %s Coefficients %d' % (what, j)
        if k in c:
            co += [int(x) for x in c[k]]
    cfg(key, co, what + ' coefficients', '32')
if 'Autogain Mean Target' in c:
    cfg('agmean', [-int(c['Autogain Mean Target'])], 'autogain mean target, -dBFS')
    cfg('agpeak', [-int(c['Autogain Peak Target'])], 'autogain peak target, -dBFS')
if 'Input Select Capture Enum' in c:
    cfg('select', [int(c['Input Select Capture Enum'].split()[-1]) - 1], 'input select')
    cfg('link', [b(c['Line In 1 Link Capture Switch'])], 'input link')
dm = []
for mx in 'AB':
    dm += seq('Monitor Mix %s Input %%02d Playback Volume' % mx, lambda v: gains[int(v)])
for mon in (1, 2):
    for mx in 'AB':
        dm += seq('Monitor %d Mix %s Input %%02d Playback Volume' % (mon, mx), lambda v: gains[int(v)])
cfg('dmgain', dm, 'direct monitor mix gains', '16')
cfg('pad', seq('Line In %d Pad Capture Switch', b), 'pad')
air = seq('Line In %d Air Capture Switch', b)
cfg('air', air, 'air')
cfg('airbits', [sum(v << i for i, v in enumerate(air))] if air else [], 'air bits')
ph = [b(v) for k, v in sorted(c.items()) if re.match(r'Line In [\d-]+ Phantom Power Capture Switch$', k)]
cfg('phantom', [sum(v << i for i, v in enumerate(ph))] if ph else [], 'phantom bits')
cfg('phantom8', ph, 'phantom power')
if 'Phantom Power Persistence Capture Switch' in c:
    cfg('persist', [b(c['Phantom Power Persistence Capture Switch'])], 'phantom persistence')
if 'Direct Monitor Playback Enum' in c:
    cfg('direct', [['Off', 'Mono', 'Stereo'].index(c['Direct Monitor Playback Enum'])], 'direct monitor')
if 'Direct Monitor Playback Switch' in c:
    cfg('direct', [b(c['Direct Monitor Playback Switch'])], 'direct monitor')
if 'Speaker Switching Playback Enum' in c:
    sp = ['Off', 'Main', 'Alt'].index(c['Speaker Switching Playback Enum'])
    tb = ['Disabled', 'Off', 'On'].index(c.get('Talkback Playback Enum', 'Disabled'))
    cfg('mo_switch', [(sp == 2) | (tb == 2) << 1], 'monitor other switch bits: alt, talkback')
    cfg('mo_enable', [(sp > 0) | (tb > 0) << 1], 'monitor other enable bits')
tm = seq('Talkback Mix %s Playback Switch'.replace('%s', '%c'), b, 65, 12)
if tm:
    cfg('talkback', [sum(v << i for i, v in enumerate(tm))], 'talkback map', '16')
if 'Standalone Switch' in c:
    cfg('standalone', [b(c['Standalone Switch'])], 'standalone')
if 'Mute Playback Switch' in c:
    cfg('dim_mute', [b(c['Mute Playback Switch']), b(c['Dim Playback Switch'])], 'mute, dim')
vols = []
for i in range(1, 11):
    k = [k for k in c if k.startswith('Line %02d' % i) and k.endswith('Playback Volume')]
    if not k:
        break
    vols.append(int(c[k[0]]) - 127)
vols = ports(vols)
cfg('vol', vols, 'line out volumes - 127', '16')
cfg('hwvol', vols, 'hardware volumes', '16')
cfg('mute', ports(seq('Line %02d Mute Playback Switch', b)), 'line out mutes')
sw = ports(seq('Line Out %02d Volume Control Playback Enum', lambda v: 1 if v == 'HW' else 0))
cfg('swhw', sw, 'SW (0) or HW (1)')
if 'Master HW Playback Volume' in c:
    cfg('master', [int(c['Master HW Playback Volume']) - 127], 'master knob - 127', '16')
if 'Digital I/O Mode Capture Enum' in c:
    cfg('spdif', [[0, 6, 1][['S/PDIF RCA', 'S/PDIF Optical', 'Dual ADAT'].index(c['Digital I/O Mode Capture Enum'])]], 'S/PDIF mode')
if 'S/PDIF Source Capture Enum' in c:
    cfg('spdifsrc', [['None', 'Optical', 'RCA'].index(c['S/PDIF Source Capture Enum'])], 'S/PDIF source')
if 'Firmware Version' in c:
    out.append('firmware %s' % c['Firmware Version'])
if 'Sync Status' in c:
    out.append('sync %d' % (1 if c['Sync Status'] == 'Locked' else 0))
if 'Clock Source Clock Source' in c:
    out.append('clock %d' % (1 + ['Internal', 'S/PDIF', 'ADAT'].index(c['Clock Source Clock Source'])))
for mi in range(25):
    row = seq('Mix %c Input %%02d Playback Volume' % (65 + mi), lambda v: gains[int(v)])
    if any(row):
        out.append('mix %d 0 %s' % (mi, ' '.join(map(str, row))))
nmixes = len([k for k in c if re.match(r'Mix [A-Z] Input 01 Playback Volume$', k)])
nmixin = len([k for k in c if re.match(r'Mixer Input \d+ Capture Enum$', k)])
def src(v):
    if v == 'Off':
        return 0
    m = re.match(r'DSP (\d+)$', v)
    if m:
        return 0x300 + nmixes + int(m.group(1)) - 1
    m = re.match(r'(Analogue|S/PDIF|ADAT|PCM) (\d+)$', v)
    if m:
        return {'Analogue': 0x80, 'S/PDIF': 0x180, 'ADAT': 0x200, 'PCM': 0x600}[m.group(1)] + int(m.group(2)) - 1
    return 0x300 + ord(re.match(r'Mix ([A-Z])$', v).group(1)) - 65
for k, v in c.items():
    m = re.match(r'DSP Input (\d+) Capture Enum$', k)
    if m:
        out.append('mux 0 0x%03x 0x%03x\t# %s <- %s' % (0x300 + nmixin + int(m.group(1)) - 1, src(v), k, v))
    m = re.match(r'(Analogue Output|S/PDIF Output|ADAT Output|Mixer Input|PCM) (\d+) (Playback|Capture) Enum$', k)
    if m:
        base = {'Analogue Output': 0x80, 'S/PDIF Output': 0x180, 'ADAT Output': 0x200, 'Mixer Input': 0x300, 'PCM': 0x600}[m.group(1)]
        n = int(m.group(2)) - 1
        if base == 0x80 and n < len(remap):
            n = remap[n]
        out.append('mux 0 0x%03x 0x%03x\t# %s <- %s' % (base + n, src(v), k, v))
print('# %s, block state.%s, as the device state of the emulator' % (path.split('/')[-1], block))
print('# (tests/vm/presets/mkpreset.py, config set %s%s)' % (cset, ', line out remap ' + sys.argv[5] if remap else ''))
print('\n'.join(out))
