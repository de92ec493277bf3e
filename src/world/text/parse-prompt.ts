/**
 * Prompt -> SceneSpec. Words are read left to right; describing words (a count, a colour, a material,
 * a size, "glowing", a tree species) wait for the next noun: "three red boxes" is one request for 3
 * red boxes; said of a setting ("a brick city") they colour the setting's own surfaces. Words the
 * vocabulary does not know are collected in `ignored` (each once); glue words are not reported.
 */
import type { Material, ObjectKind, ObjectRequest, Rgb, SceneSpec, Setting, SizeWord, TimeOfDay, Weather } from './scene-spec.ts';
import {
  COLOUR_WORDS, COSY_WORDS, COUNT_WORDS, GLOW_WORDS, MATERIAL_WORDS, OBJECT_WORDS, SETTING_HINTS, SETTING_WORDS,
  SIZE_WORDS, SNOW_WORDS, SPECIES_WORDS, STOPWORDS, TIME_WORDS, WEATHER_WORDS,
} from './vocabulary.ts';

/** A sentence or two; far longer input is almost certainly pasted by mistake, and is refused whole. */
export const MAX_PROMPT_CHARS = 1000;
/** Most of one kind of thing a prompt may ask for (each becomes several primitives per view ray). */
export const MAX_COUNT = 200;

const INDOOR_KINDS = new Set<ObjectKind>(['shelf', 'table', 'chair', 'bed', 'lamp', 'sofa']);

export function parsePrompt(prompt: string): SceneSpec {
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    throw new Error('prompt: expected some words describing a world, found an empty prompt');
  }
  if (prompt.length > MAX_PROMPT_CHARS) {
    throw new Error(`prompt: expected at most ${MAX_PROMPT_CHARS} characters, found ${prompt.length}`);
  }
  const tokens = prompt.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '');

  let setting: Setting | null = null;
  let hint: Setting | null = null;
  let time: TimeOfDay = 'day';
  let weather: Weather = 'clear';
  let snow = false;
  let cosy = false;
  let settingColour: Rgb | null = null;
  let settingMaterial: Material | null = null;
  let forestSpecies: ObjectKind | null = null;
  const objects: ObjectRequest[] = [];
  const ignored: string[] = [];

  // Describing words waiting for their noun.
  let count: number | null | undefined;
  let colour: { rgb: Rgb; name: string } | null = null;
  let material: Material | null = null;
  let size: SizeWord = 'normal';
  let glowing = false;
  let species: ObjectKind | null = null;
  const reset = () => {
    count = undefined; colour = null; material = null; size = 'normal'; glowing = false; species = null;
  };
  reset();

  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i];
    const next = tokens[i + 1];
    if (/^\d+$/.test(w)) {
      count = Number(w);
      continue;
    }
    if (SNOW_WORDS.has(w)) snow = true;
    if (COSY_WORDS.has(w)) { cosy = true; continue; }
    if (w === 'living' && (next === 'room' || next === 'rooms')) { setting ??= 'livingroom'; i++; reset(); continue; }
    // "a few", "a dozen": the article gives way to the quantity that follows it.
    if (w in COUNT_WORDS) {
      if (w === 'a' || w === 'an') count ??= 1;
      else count = COUNT_WORDS[w];
      continue;
    }
    // A word that is both a material and a noun ("stone") is a material only when a noun follows.
    const followedByNoun = next !== undefined && (next in OBJECT_WORDS || next in SETTING_WORDS);
    const treeNext = next !== undefined && (OBJECT_WORDS[next]?.[0] === 'tree' || OBJECT_WORDS[next]?.[0] === 'pine' || SETTING_WORDS[next] === 'forest');
    if (w in SPECIES_WORDS && treeNext) {
      species = SPECIES_WORDS[w];
      continue;
    }
    if (w in MATERIAL_WORDS && (followedByNoun || !(w in OBJECT_WORDS))) {
      material = MATERIAL_WORDS[w];
      if (w === 'golden') colour = { rgb: COLOUR_WORDS.golden, name: 'golden' };
      continue;
    }
    if (w in COLOUR_WORDS) {
      colour = { rgb: COLOUR_WORDS[w], name: w };
      if (w === 'green' && !followedByNoun) hint ??= 'field';
      continue;
    }
    if (w in SIZE_WORDS) { size = SIZE_WORDS[w]; continue; }
    if (GLOW_WORDS.has(w)) { glowing = true; continue; }
    if (w in OBJECT_WORDS) {
      const [nounKind, plural] = OBJECT_WORDS[w];
      const kind = (nounKind === 'tree' || nounKind === 'pine') && species ? species : nounKind;
      if (count !== undefined && count !== null && count > MAX_COUNT) {
        throw new Error(`prompt: expected at most ${MAX_COUNT} of one thing, found ${count} ${w}`);
      }
      objects.push({
        kind,
        count: count !== undefined ? count : plural ? null : 1,
        colour: colour ? (colour as { rgb: Rgb }).rgb : null,
        colourName: colour ? (colour as { name: string }).name : null,
        material,
        size,
        glowing,
      });
      reset();
      continue;
    }
    if (w in SETTING_WORDS) {
      setting ??= SETTING_WORDS[w];
      if (SETTING_WORDS[w] === 'forest' && species) forestSpecies = species;
      if (colour) settingColour = (colour as { rgb: Rgb }).rgb;
      if (material) settingMaterial = material;
      reset();
      continue;
    }
    if (w in TIME_WORDS) { time = TIME_WORDS[w]; continue; }
    if (w in WEATHER_WORDS) { weather = WEATHER_WORDS[w]; continue; }
    if (w in SETTING_HINTS) { hint ??= SETTING_HINTS[w]; continue; }
    if (w in SPECIES_WORDS) { species = SPECIES_WORDS[w]; continue; }
    if (STOPWORDS.has(w) || w === 'a' || w === 'an') continue;
    if (!ignored.includes(w)) ignored.push(w);
  }
  // Describing words left at the end ("a forest, golden") speak of the setting.
  if (colour && !settingColour) settingColour = (colour as { rgb: Rgb }).rgb;
  if (material && !settingMaterial) settingMaterial = material;

  const onlyIndoorThings = objects.length > 0 && objects.every((o) => INDOOR_KINDS.has(o.kind));
  const chosen: Setting = setting ?? hint ?? (onlyIndoorThings ? 'room' : 'field');
  if (forestSpecies && chosen === 'forest' && !objects.some((o) => o.kind === 'tree' || o.kind === 'pine' || o.kind === 'palm')) {
    objects.push({ kind: forestSpecies, count: null, colour: null, colourName: null, material: null, size: 'normal', glowing: false });
  }
  if (chosen === 'snowfield') snow = true;
  return {
    setting: chosen,
    settingDefaulted: setting === null && hint === null,
    time,
    weather,
    snow: snow && !['bedroom', 'library', 'kitchen', 'office', 'hall', 'livingroom', 'room'].includes(chosen),
    cosy,
    settingColour,
    settingMaterial,
    objects,
    ignored,
  };
}
