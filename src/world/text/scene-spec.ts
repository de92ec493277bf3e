/**
 * What a prompt asks for, as plain data: the parser (parse-prompt.ts) fills it from words, the scene
 * builder (build-scene.ts) turns it and a seed into primitives. Nothing here knows about rays.
 */

export type Setting =
  | 'forest' | 'desert' | 'city' | 'street' | 'beach' | 'snowfield' | 'mountains' | 'field' | 'lake'
  | 'bedroom' | 'library' | 'kitchen' | 'office' | 'hall' | 'livingroom' | 'room';

export const INDOOR_SETTINGS: ReadonlySet<Setting> = new Set(['bedroom', 'library', 'kitchen', 'office', 'hall', 'livingroom', 'room']);

export type TimeOfDay = 'dawn' | 'day' | 'noon' | 'dusk' | 'night';
export type Weather = 'clear' | 'overcast' | 'fog' | 'rain';

export type Material = 'wood' | 'stone' | 'brick' | 'glass' | 'metal' | 'marble' | 'concrete' | 'gold' | 'plain';

export type ObjectKind =
  | 'tree' | 'pine' | 'palm' | 'bush' | 'rock' | 'box' | 'sphere' | 'column' | 'cone' | 'tower' | 'building'
  | 'house' | 'shelf' | 'table' | 'chair' | 'bed' | 'lamp' | 'sofa' | 'car' | 'cactus' | 'window' | 'plant';

export type SizeWord = 'tiny' | 'small' | 'normal' | 'big' | 'huge' | 'tall' | 'short';

/** Linear RGB 0..1 (shading works in linear light; the final picture is sRGB-encoded). */
export type Rgb = [number, number, number];

export interface ObjectRequest {
  kind: ObjectKind;
  /** how many the prompt asked for; null = "some" (a plural without a number: the setting decides) */
  count: number | null;
  colour: Rgb | null;
  colourName: string | null;
  material: Material | null;
  size: SizeWord;
  glowing: boolean;
}

export interface SceneSpec {
  setting: Setting;
  /** true when no word named a setting and the default was used */
  settingDefaulted: boolean;
  time: TimeOfDay;
  weather: Weather;
  /** snow lies on upward-facing surfaces (snowy, winter, or the snowfield setting) */
  snow: boolean;
  /** warm, dim indoor light (cosy) */
  cosy: boolean;
  /** colour / material said of the setting itself ("a brick city", "a red room") */
  settingColour: Rgb | null;
  settingMaterial: Material | null;
  objects: ObjectRequest[];
  /** words the parser did not understand, in prompt order, each once */
  ignored: string[];
}

export const isIndoor = (spec: SceneSpec): boolean => INDOOR_SETTINGS.has(spec.setting);
