#!/bin/sh
# The alternative we measure against: aseqdump's text on stdin, one
# amixer cset per control change, as users write it today:
#   aseqdump -p SURFACE | sh shell-loop.sh DEVICE
# It maps CC 1-8 on channel 1 to Mix A Input 01-08, scaled 0..127 to
# 0..172 like the service does.

dev=${1:-sim}
while read -r port t1 t2 ch w1 cc w2 val; do
	[ "$t1 $t2 $ch" = "Control change 0," ] || continue
	cc=${cc%,}
	case $cc in
	[1-8]) ;;
	*) continue ;;
	esac
	amixer -q -D "$dev" cset "name='Mix A Input 0$cc Playback Volume'" \
	    $(((val * 172 + 63) / 127))
done
