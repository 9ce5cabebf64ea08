#!/bin/sh
# Set up (see setup.sh) and run scarlett-midi.
#
# With a Scarlett, Clarett or Vocaster attached, it runs the service for
# that card with your mapping files (~/.config/scarlett-midi/) or, if you
# have none, a shipped one.  With no interface attached, it runs the
# service against a simulated Scarlett 18i20, plays a MIDI surface into
# it, and shows what the service does.

set -e
cd "$(dirname "$0")/.."
sh scripts/setup.sh
SM=./scarlett-midi
export SCARLETT_MIDI_PLUGIN="$PWD/libasound_module_ctl_scarlett_sim.so"

# /proc/asound/cards: " 1 [USB            ]: USB-Audio - Scarlett 18i20 USB"
card=$(grep -i 'scarlett\|clarett\|vocaster' /proc/asound/cards 2>/dev/null |
    sed -n '1s/^ *\([0-9]*\) .*/\1/p' || true)
if [ -n "$card" ]; then
	conf=${XDG_CONFIG_HOME:-$HOME/.config}/scarlett-midi
	if ! ls "$conf"/*.ini >/dev/null 2>&1; then
		conf=mappings/scarlett-3rd-gen-18i20.ini
		echo "run: no mapping files in ~/.config/scarlett-midi;" \
		    "using $conf"
	fi
	echo "run: found card $card; running the service (Ctrl-C stops it)"
	exec $SM -d -v -D "hw:$card" -f "$conf"
fi

echo "run: no Scarlett, Clarett or Vocaster is attached."
echo "run: running the service against a simulated Scarlett 18i20 (3rd Gen)"
echo "run: and playing a MIDI surface into it through a FIFO."
echo
tmp=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
export SCARLETT_MIDI_SIM_DIR="$tmp/sim"
state=devices/Scarlett-Gen-3-18i20.state
map=mappings/scarlett-3rd-gen-18i20.ini
cat >"$tmp/asound.conf" <<EOC
ctl_type.scarlett_sim { lib "$SCARLETT_MIDI_PLUGIN" }
ctl.sim { type scarlett_sim state "$PWD/$state" }
EOC
mkfifo "$tmp/in" "$tmp/out"
# od and sed end by themselves when the service closes its end.
stdbuf -o0 od -An -tx1 -v -w3 <"$tmp/out" | sed -u 's/^/    feedback out:/' &
exec 3<>"$tmp/in"
mkfifo "$tmp/log"
sed -u 's/^/    scarlett-midi: /' <"$tmp/log" &
$SM -d -v --simulate "$state" --midi-in "$tmp/in" --midi-out "$tmp/out" \
    -f "$map" 2>"$tmp/log" &
pid=$!
sleep 1

cget()
{
	ALSA_CONFIG_PATH="$tmp/asound.conf" amixer -D sim cget "name='$1'" |
	    sed -n 's/^  : values=//p'
}

step()
{
	echo
	echo "run: $*"
	sleep 1
}

step "the surface moves fader 1 (CC 1) to the top"
printf '\260\001\177' >&3
sleep 0.5
echo "run: amixer now reads 'Mix A Input 01 Playback Volume' = $(cget 'Mix A Input 01 Playback Volume') (top is 172)"

step "the surface presses button 36: Air on input 1 (a toggle)"
printf '\220\044\177\200\044\000' >&3
sleep 0.5
echo "run: 'Line In 1 Air Capture Switch' = $(cget 'Line In 1 Air Capture Switch')"

step "alsa-scarlett-gui (here: amixer) sets mix input 1 to 0 dB (160):"
echo "run: the service sends the new position to the surface's fader"
ALSA_CONFIG_PATH="$tmp/asound.conf" amixer -q -D sim cset \
    "name='Mix A Input 01 Playback Volume'" 160
sleep 1

step "done.  With a real interface and surface: edit a copy of $map,"
echo "run: put it in ~/.config/scarlett-midi/ and run: scarlett-midi -d -v"
echo "run: ('scarlett-midi list -D hw:USB' shows your card's control names)"
sleep 0.5
