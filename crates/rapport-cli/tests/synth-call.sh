#!/usr/bin/env bash
# Synthesises a two-channel sales call: the rep on channel 0 (espeak-ng voice en-us), the
# customer on channel 1 (en-gb+f3), taking turns with pauses, each channel silent while the
# other party talks, as a dialer's recording is.
# Usage: synth-call.sh DIALOGUE OUT.wav [REPEAT]
#   DIALOGUE: lines `rep|text` or `customer|text`; REPEAT plays the dialogue that many times
#   (a longer call for tests that must catch a job mid-way).
set -euo pipefail
dialogue=$1 out=$2 repeat=${3:-1}
for tool in espeak-ng sox; do
    command -v "$tool" >/dev/null || { echo "synth-call: $tool is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rep=() customer=() n=0
# A second of silence first, as a real recording has before anyone speaks.
sox -n -r 16000 -c 1 -b 16 "$work/lead.wav" trim 0 1
rep+=("$work/lead.wav") customer+=("$work/lead.wav")
for _ in $(seq "$repeat"); do
    while IFS='|' read -r who text; do
        [[ -z $who || $who == \#* ]] && continue
        n=$((n + 1))
        case $who in
            rep) voice=en-us ;;
            customer) voice=en-gb+f3 ;;
            *) echo "synth-call: $dialogue: unknown speaker \`$who\`" >&2; exit 1 ;;
        esac
        espeak-ng -v "$voice" -s 150 -w "$work/raw$n.wav" "$text"
        # 16 kHz mono with 0.8 s of pause after the turn; the other channel gets silence of
        # exactly the same length, so both channels stay aligned.
        sox "$work/raw$n.wav" -r 16000 -c 1 -b 16 "$work/say$n.wav" pad 0 0.8
        sox "$work/say$n.wav" "$work/quiet$n.wav" vol 0
        if [[ $who == rep ]]; then
            rep+=("$work/say$n.wav") customer+=("$work/quiet$n.wav")
        else
            rep+=("$work/quiet$n.wav") customer+=("$work/say$n.wav")
        fi
    done <"$dialogue"
done
sox "${rep[@]}" "$work/rep.wav"
sox "${customer[@]}" "$work/customer.wav"
sox -M "$work/rep.wav" "$work/customer.wav" "$out"
