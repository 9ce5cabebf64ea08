# The real driver benchmark, sourced by tests/vm/guest.sh when the kernel
# command line says sm.checks=bench (bench/vm.sh, make bench-vm): one
# flood of 8 faders x 1000 CC/s into snd-virmidi, played to the emulated
# 18i20 Gen 3 through the service, through the shell loop users write
# (aseqdump | while read; amixer cset; done) and through amixer -s fed
# one cset per event.  Prints one "# bench: " line a consumer.

BENCH_SECONDS=$(cmdline flood 5)
# How long a consumer may go on after the last byte before it is stopped.
BENCH_DRAIN=20
HZ=100				# the kernel's USER_HZ, for /proc/PID/stat

# ticks PID: user and system CPU of a process and its waited-for
# children, in ticks.
ticks()
{
	awk '{ print $14 + $15 + $16 + $17 }' /proc/$1/stat 2>/dev/null
}

# ticks_group PGID: the same for every process of a process group.
ticks_group()
{
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v g="$1" '
	    $5 == g { s += $14 + $15 + $16 + $17 } END { print s + 0 }'
}

# bench_wait_quiet: until the emulator has been quiet for 2 s, at most
# BENCH_DRAIN seconds.
bench_wait_quiet()
{
	b_n=-1
	b_i=0
	while [ $b_i -lt $BENCH_DRAIN ]; do
		sleep 2
		b_c=$(lines "$EMULOG")
		[ "$b_c" = "$b_n" ] && break
		b_n=$b_c
		b_i=$((b_i + 2))
	done
}

# bench_row NAME MARK SENT READ CPU: the figures of one run since MARK.
bench_row()
{
	tail -n +$(($2 + 1)) "$EMULOG" | awk -v name="$1" -v last="$last" \
	    -v top=$MIX_TOP -v sent="$3" -v read="$4" -v cpu="$5" -v hz=$HZ '
	/ SET_MIX mix 0 gains / {
		n++
		t = $1
		row = ""
		for (i = 6; i < 14; i++)
			row = row " " $i
	}
	/ CMD_RESP / { xfers += 2 }
	END {
		want = " " top " 0 " top " 0 " top " 0 " top " 0"
		fin = row == want ? sprintf("%.0f ms", (t - last) * 1000) :
		    "never"
		printf "# bench: | %-30s | %6d | %6d | %6d | %6d | %6.3f | %8s | %8.1f |\n",
		    name, sent, read, sent - read, n, sent ? xfers / sent : 0,
		    fin, read ? cpu / hz * 1e6 / read : 0
	}'
}

# bench_flood: the flood; sets sent and last.
bench_flood()
{
	vm-midi flood $VIRMIDI 8 1000 "$BENCH_SECONDS" >$TMP/bench.out 2>&1
	sent=$(sed -n 's/^sent \([0-9]*\) events.*/\1/p' $TMP/bench.out)
	last=$(sed -n 's/.*last byte at //p' $TMP/bench.out)
}

# bench_service NAME: the service on the flood mapping.
bench_service()
{
	LOG=$TMP/bench-service-$(echo "$1" | tr -c 'a-z0-9\n' -).log
	vm-midi dump $VIRMIDI >/dev/null &
	b_d=$!
	scarlett-midi -d -f /tests/vm/real/flood.ini >$LOG 2>&1 &
	pid=$!
	wait_for 10 grep -q '^ready$' $LOG
	sleep 0.5
	b_m=$(emu_mark)
	b_t0=$(ticks $pid)
	bench_flood
	bench_wait_quiet
	b_cpu=$(($(ticks $pid) - b_t0))
	kill -TERM $pid
	wait $pid
	pid=
	kill $b_d
	wait $b_d 2>/dev/null
	b_read=$(sed -n 's/^midi: \([0-9]*\) messages in.*/\1/p' $LOG)
	bench_row "scarlett-midi, $1" $b_m "$sent" "${b_read:-0}" $b_cpu
}

# bench_pipe NAME CONSUMER: aseqdump's text into CONSUMER (a shell
# command reading stdin), as the alternatives are written.
bench_pipe()
{
	: >$TMP/bench-seen
	# A process group of its own, to count and stop all of it.
	setsid sh -c "aseqdump -p 'Virtual Raw MIDI 1-0' | tee $TMP/bench-seen | $2" \
	    >/dev/null 2>&1 &
	b_g=$!
	wait_for 5 grep -q 'Waiting for data' $TMP/bench-seen
	sleep 0.5
	b_m=$(emu_mark)
	b_t0=$(ticks_group $b_g)
	bench_flood
	bench_wait_quiet
	b_cpu=$(($(ticks_group $b_g) - b_t0))
	kill -TERM -- -$b_g 2>/dev/null
	wait $b_g 2>/dev/null
	b_read=$(grep -c 'Control change' $TMP/bench-seen)
	bench_row "$1" $b_m "$sent" "$b_read" $b_cpu
}

real_bench()
{
	set -- $(echo "$REAL_MODELS" | grep "^$SERVICE_MODEL ")
	emu_start "$1" "/tests/vm/presets/${2%.state}.$3" || {
		echo "Bail out! the emulated $1 did not appear"
		return 1
	}
	diag "bench: | consumer                       |   sent |   read |   lost | SET_MIX | xfer/ev |   final  | CPU us/ev |"
	bench_service "full speed"
	emu delay 20
	bench_service "20 ms per reply"
	emu delay 0
	bench_pipe "shell loop (amixer cset)" \
	    "sh /tests/vm/shell-loop.sh hw:$RCARD"
	bench_pipe "amixer -s" "sh /tests/vm/amixer-s.sh hw:$RCARD"
	emu_stop
}
