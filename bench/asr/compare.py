"""Rapport's speech-to-text against faster-whisper on the same audio, model and threads.

    python3 bench/asr/compare.py OUT_DIR MODEL_DIR THREADS RAPPORT_TRANSCRIBE RAPPORT_WER

Prepares the audio once (jfk, the LJSpeech clips resampled to 16 kHz, and a 10-minute
two-channel call built from those clips, the parties taking turns), then runs each setting
in its own process: Rapport (beam 5, the default, and greedy) and faster-whisper int8 with
the same thread count (beam 5 with its Silero VAD, greedy, and its batched pipeline). Times
cover transcription only (model loading and file reading excluded); peak memory is the
process's maximum resident set. Every transcript is scored by Rapport's WER (the `wer`
example), so both engines are measured with one normaliser.
"""

import json
import os
import subprocess
import sys
import time
import wave

import numpy as np

SPEECH = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "speech")
RATE = 16000


def read_wav(path):
    with wave.open(path) as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768.0
        return data.reshape(-1, w.getnchannels()).T, w.getframerate()


def write_wav(path, channels):
    frames = np.stack(channels, axis=1) if len(channels) > 1 else channels[0][:, None]
    with wave.open(path, "wb") as w:
        w.setnchannels(frames.shape[1]); w.setsampwidth(2); w.setframerate(RATE)
        w.writeframes((np.clip(frames, -1, 1) * 32767).astype(np.int16).tobytes())


def resample(x, source_rate, taps=32):
    """Windowed-sinc resampling, the same filter as the Rust tests use."""
    if source_rate == RATE:
        return x.astype(np.float32)
    ratio = source_rate / RATE
    cutoff = 0.95 * min(source_rate, RATE) / source_rate
    out = np.empty(int(len(x) / ratio), dtype=np.float32)
    for begin in range(0, len(out), 20000):
        centres = np.arange(begin, min(begin + 20000, len(out))) * ratio
        k = np.floor(centres)[:, None].astype(np.int64) - taps + 1 + np.arange(2 * taps)[None, :]
        d = k - centres[:, None]
        weights = cutoff * np.sinc(cutoff * d) * (0.5 + 0.5 * np.cos(np.pi * d / taps))
        weights[(k < 0) | (k >= len(x))] = 0.0
        out[begin:begin + len(centres)] = np.sum(x[np.clip(k, 0, len(x) - 1)] * weights, axis=1)
    return out


def prepare(out):
    """16 kHz WAVs and a references.json {file: [reference per channel]}."""
    references_path = os.path.join(out, "references.json")
    if os.path.exists(references_path):
        return json.load(open(references_path))
    os.makedirs(out, exist_ok=True)
    clips = []
    jfk, _ = read_wav(os.path.join(SPEECH, "jfk", "jfk.wav"))
    jfk_text = open(os.path.join(SPEECH, "jfk", "reference.tsv")).read().split("\t")[1].strip()
    clips.append(("jfk", jfk[0], jfk_text))
    for line in open(os.path.join(SPEECH, "ljspeech", "metadata.csv")):
        name, _, normalised = line.rstrip("\n").split("|")
        audio, rate = read_wav(os.path.join(SPEECH, "ljspeech", name + ".wav"))
        clips.append((name, resample(audio[0], rate), normalised))
    references = {}
    for name, audio, text in clips:
        path = os.path.join(out, name + ".wav")
        write_wav(path, [audio])
        references[path] = [text]
    # The call: rep (channel 0) and customer (channel 1) take turns with short gaps, each
    # silent while the other speaks, for ten minutes.
    rep, customer = clips[:9], clips[9:]
    tracks, texts, t, turn = [[], []], [[], []], 0, 0
    while t < 600 * RATE:
        channel = turn % 2
        name, audio, text = (rep if channel == 0 else customer)[(turn // 2) % (9 if channel == 0 else 8)]
        gap = int((0.4 + 0.3 * (turn % 4)) * RATE)
        for c in (0, 1):
            tracks[c].append(audio if c == channel else np.zeros(len(audio), dtype=np.float32))
            tracks[c].append(np.zeros(gap, dtype=np.float32))
        texts[channel].append(text)
        t += len(audio) + gap
        turn += 1
    path = os.path.join(out, "call.wav")
    write_wav(path, [np.concatenate(track) for track in tracks])
    references[path] = [" ".join(ts) for ts in texts]
    json.dump(references, open(references_path, "w"), indent=1)
    return references


def faster_whisper(model_dir, threads, mode, files):
    """Child process: prints one JSON line per file, like Rapport's transcribe example."""
    from faster_whisper import BatchedInferencePipeline, WhisperModel
    model = WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=threads)
    batched = BatchedInferencePipeline(model=model) if mode == "batched" else None
    for path in files:
        channels, _ = read_wav(path)
        started = time.perf_counter()
        texts = []
        for audio in channels:
            if batched:
                segments, _ = batched.transcribe(audio, language="en", beam_size=5, batch_size=8)
            else:
                beam = 1 if mode == "greedy" else 5
                segments, _ = model.transcribe(audio, language="en", beam_size=beam, vad_filter=True)
            texts.append(" ".join(s.text.strip() for s in segments))
        seconds = time.perf_counter() - started
        print(json.dumps({"file": path, "seconds": seconds, "audio_seconds": len(channels[0]) / RATE, "channels": texts}), flush=True)


def run(command):
    """Runs a setting in its own process; returns its JSON lines and peak memory (MiB)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}")
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")], usage.ru_maxrss / 1024


def main():
    out, model_dir, threads, transcribe, wer_tool = sys.argv[1:6]
    references = prepare(os.path.join(out, "audio"))
    files = list(references)
    me = [sys.executable, __file__, "--faster-whisper", model_dir, threads]
    settings = [
        ("rapport, beam 5", [transcribe, model_dir, "--threads", threads, "--json", *files]),
        ("rapport, greedy", [transcribe, model_dir, "--threads", threads, "--beam", "1", "--json", *files]),
        ("faster-whisper, beam 5 + VAD", [*me, "sequential", *files]),
        ("faster-whisper, greedy + VAD", [*me, "greedy", *files]),
        ("faster-whisper, batched (8)", [*me, "batched", *files]),
    ]
    rows = []
    for name, command in settings:
        print(f"running {name} …", file=sys.stderr)
        results, peak = run(command)
        by_file = {r["file"]: r for r in results}
        for subset in ("speech", "call"):
            chosen = [f for f in files if (f.endswith("call.wav")) == (subset == "call")]
            pairs = [[ref, hyp] for f in chosen for ref, hyp in zip(references[f], by_file[f]["channels"])]
            wer = float(subprocess.run([wer_tool], input=json.dumps(pairs), capture_output=True, text=True, check=True).stdout)
            seconds = sum(by_file[f]["seconds"] for f in chosen)
            audio = sum(by_file[f]["audio_seconds"] for f in chosen)
            rows.append((name, subset, audio, seconds, wer, peak))
    print(f"\n{threads} threads, tiny.en int8; times exclude model loading\n")
    print(f"{'setting':32} {'set':7} {'audio s':>8} {'wall s':>8} {'RTF':>7} {'WER %':>6} {'peak MiB':>9}")
    for name, subset, audio, seconds, wer, peak in rows:
        print(f"{name:32} {subset:7} {audio:8.1f} {seconds:8.2f} {seconds / audio:7.4f} {100 * wer:6.2f} {peak:9.0f}")
    print()
    for subset in ("speech", "call"):
        ours = {n: (s, w) for n, sub, _, s, w, _ in rows if sub == subset and n.startswith("rapport")}
        theirs = {n: (s, w) for n, sub, _, s, w, _ in rows if sub == subset and n.startswith("faster")}
        best = min(theirs, key=lambda n: theirs[n][0])
        for name, (seconds, wer) in ours.items():
            print(f"{subset}: {name} vs {best} (fastest): {theirs[best][0] / seconds:.2f}x throughput, "
                  f"WER {100 * (wer - theirs[best][1]):+.2f} points")


if __name__ == "__main__":
    if sys.argv[1] == "--faster-whisper":
        faster_whisper(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:])
    else:
        main()
