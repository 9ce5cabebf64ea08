# Check 7 of the VM tier, sourced by guest.sh: the service on a desktop's
# sequencer.  Midi Through (snd-seq-dummy) is loaded, as on every
# desktop; ports are chosen by kind as well as by name, renamed ports are
# followed, feedback follows the subscription, a second instance is left
# alone, and a reload leaves exactly the subscriptions the files name.

LOG=$TMP/desktop.log
mkdir -p $TMP/desktop
cp /tests/vm/desktop/desktop.ini $TMP/desktop/
amixer -c $CARD -q cset "name='Mic Capture Switch'" off
amixer -c $CARD -q cset "name='Mic Volume'" 100

# subscribed NAME: the kernel shows a subscription of port NAME's.
subscribed()
{
	awk -v n="\"$1\"" '/^Client/ { in_port = 0; next }
	    /^ *Port/ { in_port = index($0, n) > 0; next }
	    in_port && /Connect/ { found = 1 }
	    END { exit !found }' /proc/asound/seq/clients
}

# Kernels before 6.5 announce no renames (PORT_CHANGE, CLIENT_CHANGE).
renames=1
case $KVER in
[0-5].*|6.[0-4].*)	renames=0 ;;
esac

# check_renamed DESCRIPTION CMD...: check, or skip where renames are
# not announced.
check_renamed()
{
	if [ $renames = 1 ]; then
		check "$@"
	else
		ok "$1 # SKIP $KVER announces no port renames (6.5 does)"
	fi
}

check "check 7: a file with 'port = MIDI' reports Midi Through as left out" \
    sh -c "scarlett-midi check -f $TMP/desktop -D hw:$CARD 2>&1 |
    grep -q \"matches 'Midi Through:Midi Through Port-0', which is left out\""

# The service takes a sequencer fault on demand (tests/vm/seqfault.c);
# in CI's sanitizer build the preloaded object comes before ASan's own.
LD_PRELOAD=/bin/libseqfault.so SCARLETT_MIDI_SEQFAULT=$TMP/seqfault \
    ASAN_OPTIONS=verify_asan_link_order=0 \
    scarlett-midi -d -v -f $TMP/desktop >$LOG 2>&1 &
pid=$!
check "check 7: the service starts" wait_for 5 grep -q '^ready$' $LOG
check "check 7: 'port = MIDI' does not connect Midi Through" \
    sh -c "! grep -q \"connected to .*'Midi Through\" $LOG &&
    ! subscribed 'Midi Through Port-0'"
check "check 7: 'software-port = VirMIDI 1-0' connects VirMIDI 1-0" \
    grep -q "connected to [0-9]*:0 'Virtual Raw MIDI 1-0:VirMIDI 1-0'" $LOG

vm-midi send $VIRMIDI 90 24 7f 80 24 00
check "check 7: one press of a toggle turns Mic Capture on" \
    wait_for 2 value_is 'Mic Capture Switch' on,on
sleep 0.5
check "check 7: ...and nothing loops back to turn it off again" \
    value_is 'Mic Capture Switch' on,on
amixer -c $CARD -q cset "name='Mic Volume'" 50
sleep 0.5
check "check 7: amixer sets a mapped volume to 50 and it stays 50" \
    value_is 'Mic Volume' 50,50

# Feedback follows the subscription: disconnected by hand, the surface is
# sent nothing; connected again, it is sent everything.
a0=$(lines $TMP/virmidi)
aconnect -d scarlett-midi:1 'Virtual Raw MIDI 1-0:0'
check "check 7: disconnected by hand (aconnect -d), the service says so" \
    wait_for 2 grep -q 'was disconnected from our output' $LOG
amixer -c $CARD -q cset "name='Mic Volume'" 0
sleep 0.5
check "check 7: ...and sends it no feedback" \
    [ "$(lines $TMP/virmidi)" = "$a0" ]
aconnect scarlett-midi:1 'Virtual Raw MIDI 1-0:0'
check "check 7: connected again, it gets the full state: CC 1 = 42" \
    wait_for 2 has_after $TMP/virmidi $a0 "b0 01 2a"

# A port renamed to a match is connected; renamed away, disconnected.
mkfifo $TMP/rename
vm-midi port "Fake Pad" <$TMP/rename >$TMP/rename.out 2>&1 &
rpid=$!
exec 7>$TMP/rename
wait_for 2 grep -q ready $TMP/rename.out
sleep 0.3
check "check 7: a hardware port named 'Fake Pad' is not connected" \
    sh -c "! grep -q \"'VM Port:\" $LOG"
echo "Knob Box 1" >&7
check_renamed "check 7: renamed 'Knob Box 1', it is connected" \
    wait_for 2 grep -q "connected to [0-9]*:0 'VM Port:Knob Box 1'" $LOG
wait_for 2 grep -q "renamed Knob Box 1" $TMP/rename.out
echo "Other Pad" >&7
wait_for 2 grep -q "renamed Other Pad" $TMP/rename.out
check_renamed "check 7: renamed 'Other Pad', it is disconnected" \
    wait_for 2 sh -c "! subscribed 'Other Pad'"
exec 7>&-
wait $rpid

# A second instance leaves the first alone, whatever its files say.
cat >$TMP/second.ini <<EOT
[card]
name = Dummy
[surface]
software-port = scarlett
[mix-a-1]
midi = cc 1
control = Mic Volume
EOT
scarlett-midi -d -v -f $TMP/second.ini >$TMP/second.log 2>&1
check "check 7: a second instance in the same session is refused" \
    grep -q "scarlett-midi is running already (pid $pid)" $TMP/second.log
mkdir -m 700 $TMP/run2
XDG_RUNTIME_DIR=$TMP/run2 scarlett-midi -d -v -f $TMP/second.ini \
    >$TMP/second.log 2>&1 &
pid2=$!
check "check 7: one of another session, 'software-port = scarlett', starts" \
    wait_for 5 grep -q '^ready$' $TMP/second.log
check "check 7: ...and connects nothing of the first" \
    sh -c "grep -q \"no port matches 'scarlett' yet\" $TMP/second.log &&
    ! grep -q 'connected to' $TMP/second.log"
kill -TERM $pid2
wait $pid2

# learn hears surfaces only: not the service's feedback, not Midi
# Through; -p names a port to hear, software or not.
scarlett-midi learn -D hw:$CARD >$TMP/learn.out 2>$TMP/learn.log &
lpid=$!
wait_for 3 grep -q 'move one control' $TMP/learn.log
a0=$(lines $TMP/virmidi)
amixer -c $CARD -q cset "name='Mic Volume'" 20
wait_for 2 has_after $TMP/virmidi $a0 "b0 01 3c"
sleep 0.3
check "check 7: learn, beside the service, does not hear its feedback" \
    sh -c "! grep -q 'heard' $TMP/learn.log"
kill $lpid
wait $lpid
amixer -c $CARD -q cset "name='Mic Volume'" 0
scarlett-midi learn -p 'VirMIDI 1-1' -D hw:$CARD >$TMP/learn.out \
    2>$TMP/learn.log &
lpid=$!
wait_for 3 grep -q 'move one control' $TMP/learn.log
vm-midi send $VIRMIDI1 b0 05 40
check "check 7: learn -p 'VirMIDI 1-1' hears that port" \
    wait_for 2 grep -q 'heard cc 5 channel 1 = 64' $TMP/learn.log
kill $lpid
wait $lpid

# A reload replaces: VirMIDI 1-0 becomes 1-1, and 1-0 is let go.
sed -i 's/^software-port = VirMIDI 1-0/software-port = VirMIDI 1-1/' \
    $TMP/desktop/desktop.ini
check "check 7: the edit reloads, and connects VirMIDI 1-1" \
    wait_for 3 grep -q "connected to [0-9]*:0 '[^:]*:VirMIDI 1-1'" $LOG
check "check 7: ...and disconnects VirMIDI 1-0 both ways" \
    wait_for 2 sh -c "! subscribed 'VirMIDI 1-0'"
vm-midi send $VIRMIDI b0 01 7f
sleep 0.5
check "check 7: ...which no longer sets the card" \
    value_is 'Mic Volume' 0,0
vm-midi send $VIRMIDI1 b0 01 7f
check "check 7: ...while VirMIDI 1-1 does" \
    wait_for 2 value_is 'Mic Volume' 100,100

# A sequencer error is not the end: the client is opened again, the
# surfaces connected by name again, and sent the full state.
b0=$(lines $TMP/virmidi1)
touch $TMP/seqfault
vm-midi send $VIRMIDI1 b0 01 00
check "check 7: a sequencer read fails: the service says so" \
    wait_for 2 grep -q 'sequencer: cannot read events' $LOG
check "check 7: ...opens the sequencer again" \
    wait_for 3 grep -q 'sequencer: open again' $LOG
check "check 7: ...connects VirMIDI 1-1 again, by name" \
    wait_for 2 sh -c "[ \$(grep -c \"connected to [0-9]*:0 '[^:]*:VirMIDI 1-1'\" \
    $LOG) -ge 2 ]"
check "check 7: ...and sends it the full state: CC 1 = 127" \
    wait_for 2 has_after $TMP/virmidi1 $b0 "b0 01 7f"
vm-midi send $VIRMIDI1 b0 01 00
check "check 7: ...and takes its MIDI: CC 1 = 0 sets Mic to -50" \
    wait_for 2 value_is 'Mic Volume' -50,-50

# An input overrun (the service stopped while a surface floods it, so
# more than its input pool of 2000 events comes): said once, and the
# surface is resynced with the card's values (note 36, which the flood
# does not touch, comes as part of the full state).
b0=$(lines $TMP/virmidi1)
kill -STOP $pid
vm-midi flood $VIRMIDI1 8 1000 1 >$TMP/overrun.out 2>&1
kill -CONT $pid
check "check 7: an input overrun is logged" \
    wait_for 5 grep -q 'sequencer: input overrun' $LOG
check "check 7: ...and the surface is resynced: note 36 comes again" \
    wait_for 5 sh -c "tail -n +$((b0 + 1)) $TMP/virmidi1 | grep -q '^90 24 '"

stop "check 7: the service exits with status 0 on SIGTERM"
DESKTOP_LOG=$LOG
