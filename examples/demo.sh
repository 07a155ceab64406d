#!/usr/bin/env bash
# The lexres demo: the whole pipeline on the bundled sample data, in the embedded default store
# ($LEXRES_STORE if set, else lexres.db in your user data directory). Outputs go to demo-out/.
# Re-running is safe: importing the same bytes again is a no-op.
set -euo pipefail
cd "$(dirname "$0")/.."
S=examples/sample
OUT=demo-out
mkdir -p "$OUT"
step() { printf '\n== %s\n' "$*"; }

step "1. Load: a UniMorph table, a bilingual word list, two Bible translations"
lexres import morph "$S/swh.unimorph.tsv" --lang swh --name demo-swh-unimorph --license CC0
lexres import lexicon "$S/eng-swh.tsv" --lang eng --target-lang swh --name demo-eng-swh --license CC0
lexres import bible "$S/eng.vline.txt" --lang eng -o vref="$S/vref.txt" --name demo-eng-kjv-jhn
lexres import bible "$S/lat.usfm" --lang lat --name demo-lat-vulgate-jhn

step "2. What the store holds"
lexres list
lexres langs
lexres lang swh

step "3. Look things up"
lexres morph show swh soma
lexres morph analyze swh unasoma
lexres lexicon translate eng swh light
lexres bible show lat "JHN 1:5"

step "4. Verse-aligned parallel text (English-Latin)"
lexres bible align eng lat --out "$OUT/eng-lat.tsv"

step "5. Augment: English text translated word by word into Swahili, and pseudo-labeled NER"
lexres augment pseudo-mono --src eng --tgt swh --input "$S/eng.txt" --output "$OUT/swh.pseudo.txt" --seed 1
cat "$OUT/swh.pseudo.txt"
lexres augment pseudo-label --src eng --tgt swh --input "$S/eng.ner.tsv" --format conll \
    --output "$OUT/swh.ner.tsv" --seed 1

step "6. A SIGMORPHON-style inflection task from the Swahili table: build, train, predict, evaluate"
lexres task inflection build --lang swh --out "$OUT/swh_task" --seed 1
lexres task inflection train --model nonneural --train "$OUT/swh_task/swh.trn" --dev "$OUT/swh_task/swh.dev" \
    --out "$OUT/swh_model"
lexres task inflection predict --model-dir "$OUT/swh_model" --input "$OUT/swh_task/swh.covered.tst" \
    --output "$OUT/swh.pred"
lexres task inflection eval --gold "$OUT/swh_task/swh.tst" --pred "$OUT/swh.pred" --train "$OUT/swh_task/swh.trn"
lexres augment hallucinate --input "$OUT/swh_task/swh.trn" --n 200 --output "$OUT/swh.hall.trn" --seed 1

step "7. Export: Parquet partitioned by language, and a SIGMORPHON 2023-layout file"
lexres export "$OUT/parquet" --kind morph --to parquet
lexres morph export "$OUT/swh.2023.tsv" --lang swh --layout lemma-features-form

step "8. Adapt: a Swahili corpus from the store, a tokenizer and a tiny masked LM trained from scratch"
lexres adapt corpus --lang swh --src eng --from "$S/eng.txt" --mix eng:0.3 --out "$OUT/swh-corpus" --seed 1
lexres adapt tokenizer --from-scratch --text "$OUT/swh-corpus/corpus.txt" --text "$S/eng.txt" \
    --vocab-size 120 --out "$OUT/tok"
lexres adapt mlm --from-scratch --config tiny --model "$OUT/tok" --text "$OUT/swh-corpus/corpus.txt" \
    --text "$S/eng.txt" --max-steps 30 --batch-size 4 --seq-len 32 --threads 1 --out "$OUT/swh-mlm"

# The sample is three sentences: this step shows the commands at work; it measures nothing.
step "9. Tag: fit an NER tagger on the pseudo-labeled Swahili sentences with that body, tag them back, score"
lexres task tagging train --model "$OUT/swh-mlm" --train "$OUT/swh.ner.tsv" --format conll \
    --epochs 150 --lr 1e-2 --batch-size 4 --threads 1 --out "$OUT/swh-tagger"
lexres task tagging predict --model "$OUT/swh-tagger" --input "$OUT/swh.ner.tsv" --format conll \
    --output "$OUT/swh.ner.pred.tsv"
lexres task tagging eval --gold "$OUT/swh.ner.tsv" --pred "$OUT/swh.ner.pred.tsv" --format conll

printf '\nDone. Every generated file has a .manifest.json beside it; see %s/\n' "$OUT"
