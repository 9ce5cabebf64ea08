#!/bin/sh
# The other alternative we measure against: aseqdump's text turned into
# amixer's own commands, one cset per control change, for one amixer -s
# that lives as long as the flood:
#   aseqdump -p SURFACE | sh amixer-s.sh DEVICE
# CC 1-8 on channel 1 set Mix A Input 01-08, scaled as shell-loop.sh does.

dev=${1:-sim}
awk '$2 == "Control" && $3 == "change" && $4 == "0," {
	cc = $6 + 0
	v = $8 + 0
	if (cc >= 1 && cc <= 8) {
		printf "cset name=\"Mix A Input 0%d Playback Volume\" %d\n",
		    cc, int((v * 172 + 63) / 127)
		fflush()
	}
}' | amixer -q -D "$dev" -s
