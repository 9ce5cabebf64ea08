# Check 8 of the VM tier, sourced by guest.sh: settings per surface.  Two
# files, two surfaces on snd-virmidi's two ports, each with layers of its
# own: a layer button on one switches that one only.

# Controls told apart by their whole id, on the real kernel: user
# controls that differ only in their device (as HDA HDMI's 'ELD' on
# devices 3 and 7) are all listed, as amixer lists them.
vm-ctl -d $TMP/ids hw:$CARD /tests/ids.state >$TMP/ids.out 2>&1
check "check 8: controls that differ only in their device are all listed" \
    sh -c "[ \$(scarlett-midi list -D hw:$CARD | grep -c \"ELD Volume',device=\") = 2 ] &&
    [ \$(amixer -c $CARD controls | grep -c \"name='ELD Volume'\") = 2 ]"

LOG=$TMP/persurface.log
amixer -c $CARD -q cset "name='CD Volume'" 0
amixer -c $CARD -q cset "name='Line Volume'" 0
scarlett-midi -d -v -f /tests/vm/persurface >$LOG 2>&1 &
pid=$!
check "check 8: the service starts with a file for each of two surfaces" \
    wait_for 5 grep -q '^ready$' $LOG
vm-midi send $VIRMIDI 90 28 7f 80 28 00
check "check 8: A's layer button switches A to a2" \
    wait_for 2 grep -q 'layer a2 on software-port = VirMIDI 1-0' $LOG
vm-midi send $VIRMIDI b0 01 7f
check "check 8: ...where CC 1 from A sets Line Volume" \
    wait_for 2 value_is 'Line Volume' 100,100
vm-midi send $VIRMIDI1 b0 01 7f
check "check 8: ...and B stays in b1: its CC 1 sets CD Volume" \
    wait_for 2 value_is 'CD Volume' 100,100
stop "check 8: the service exits with status 0 on SIGTERM"
PERSURFACE_LOG=$LOG
