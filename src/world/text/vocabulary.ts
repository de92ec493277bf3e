/**
 * The words the text -> world generator understands, and what each one means. One table per kind of
 * word, so the parser is a loop over tokens and a lookup, and the README can list the vocabulary.
 */
import type { Material, ObjectKind, Rgb, Setting, SizeWord, TimeOfDay, Weather } from './scene-spec.ts';

/** Words that name a setting outright ("forest") win over hints ("snowy", "sandy"). */
export const SETTING_WORDS: Record<string, Setting> = {
  forest: 'forest', forests: 'forest', woods: 'forest', woodland: 'forest', jungle: 'forest', grove: 'forest', taiga: 'forest',
  desert: 'desert', deserts: 'desert', dunes: 'desert', dune: 'desert', sahara: 'desert', canyon: 'desert',
  city: 'city', cities: 'city', town: 'city', downtown: 'city', metropolis: 'city', skyline: 'city', urban: 'city',
  street: 'street', streets: 'street', road: 'street', alley: 'street', avenue: 'street', village: 'street',
  beach: 'beach', coast: 'beach', shore: 'beach', seaside: 'beach', ocean: 'beach', sea: 'beach', bay: 'beach', island: 'beach',
  snowfield: 'snowfield', tundra: 'snowfield', arctic: 'snowfield', glacier: 'snowfield',
  mountains: 'mountains', mountain: 'mountains', peaks: 'mountains', valley: 'mountains', alps: 'mountains', cliffs: 'mountains',
  field: 'field', fields: 'field', meadow: 'field', meadows: 'field', grassland: 'field', prairie: 'field', plain: 'field',
  plains: 'field', farm: 'field', park: 'field', garden: 'field', countryside: 'field', hills: 'field', hill: 'field',
  lake: 'lake', lakes: 'lake', pond: 'lake', river: 'lake', lagoon: 'lake',
  bedroom: 'bedroom',
  library: 'library', study: 'library',
  kitchen: 'kitchen',
  office: 'office', workspace: 'office', classroom: 'office',
  hall: 'hall', hallway: 'hall', corridor: 'hall', ballroom: 'hall', museum: 'hall', gallery: 'hall', lobby: 'hall',
  lounge: 'livingroom', parlour: 'livingroom', parlor: 'livingroom',
  room: 'room', rooms: 'room', indoor: 'room', indoors: 'room', interior: 'room', inside: 'room', attic: 'room',
};

/** Words that suggest a setting when nothing names one ("a snowy night" is a snowfield). */
export const SETTING_HINTS: Record<string, Setting> = {
  snowy: 'snowfield', snow: 'snowfield', winter: 'snowfield', wintry: 'snowfield', frozen: 'snowfield', icy: 'snowfield',
  sandy: 'desert', sand: 'desert', arid: 'desert',
  grassy: 'field', green: 'field',
  rocky: 'mountains', alpine: 'mountains',
  living: 'livingroom',
};

/** Words that put snow on every upward-facing surface. */
export const SNOW_WORDS = new Set(['snowy', 'snow', 'winter', 'wintry', 'frozen', 'icy', 'snowfield', 'tundra', 'arctic', 'glacier']);

export const TIME_WORDS: Record<string, TimeOfDay> = {
  dawn: 'dawn', sunrise: 'dawn', morning: 'dawn', daybreak: 'dawn',
  noon: 'noon', midday: 'noon', day: 'day', daytime: 'day', afternoon: 'day', daylight: 'day',
  dusk: 'dusk', sunset: 'dusk', evening: 'dusk', twilight: 'dusk',
  night: 'night', midnight: 'night', nighttime: 'night', moonlit: 'night', moonlight: 'night', starry: 'night', dark: 'night',
};

export const WEATHER_WORDS: Record<string, Weather> = {
  fog: 'fog', foggy: 'fog', mist: 'fog', misty: 'fog', haze: 'fog', hazy: 'fog',
  rain: 'rain', rainy: 'rain', raining: 'rain', storm: 'rain', stormy: 'rain', drizzle: 'rain', wet: 'rain',
  overcast: 'overcast', cloudy: 'overcast', clouds: 'overcast', gloomy: 'overcast',
  clear: 'clear', sunny: 'clear', bright: 'clear',
};

export const COSY_WORDS = new Set(['cosy', 'cozy', 'warm', 'snug']);

/** Colours as linear RGB albedos (so shading can multiply them). */
export const COLOUR_WORDS: Record<string, Rgb> = {
  red: [0.6, 0.05, 0.04], green: [0.08, 0.4, 0.07], blue: [0.04, 0.12, 0.6], yellow: [0.75, 0.6, 0.05],
  orange: [0.8, 0.28, 0.03], purple: [0.28, 0.06, 0.45], violet: [0.35, 0.1, 0.55], pink: [0.85, 0.3, 0.45],
  white: [0.8, 0.8, 0.78], black: [0.025, 0.025, 0.03], grey: [0.3, 0.3, 0.3], gray: [0.3, 0.3, 0.3],
  brown: [0.25, 0.12, 0.05], cyan: [0.05, 0.5, 0.6], teal: [0.03, 0.3, 0.3], silver: [0.6, 0.6, 0.62],
  crimson: [0.45, 0.02, 0.05], golden: [0.8, 0.55, 0.12],
};

export const MATERIAL_WORDS: Record<string, Material> = {
  wooden: 'wood', wood: 'wood', timber: 'wood',
  stone: 'stone', brick: 'brick', bricks: 'brick', glass: 'glass',
  metal: 'metal', metallic: 'metal', steel: 'metal', iron: 'metal', chrome: 'metal',
  marble: 'marble', concrete: 'concrete', gold: 'gold', golden: 'gold',
};

export const SIZE_WORDS: Record<string, SizeWord> = {
  tiny: 'tiny', small: 'small', little: 'small', big: 'big', large: 'big', huge: 'huge', giant: 'huge',
  enormous: 'huge', massive: 'huge', tall: 'tall', high: 'tall', towering: 'tall', short: 'short', low: 'short',
};

export const GLOW_WORDS = new Set(['glowing', 'luminous', 'neon', 'lit', 'shining', 'lighted']);

/** Tree species said before "tree(s)" or "forest": "pine trees", "a pine forest". */
export const SPECIES_WORDS: Record<string, ObjectKind> = {
  pine: 'pine', fir: 'pine', spruce: 'pine', conifer: 'pine', evergreen: 'pine', christmas: 'pine',
  palm: 'palm', oak: 'tree', birch: 'tree', maple: 'tree', apple: 'tree',
};

/** Nouns of things, singular and plural: [kind, plural?]. */
export const OBJECT_WORDS: Record<string, [ObjectKind, boolean]> = {};
const nouns: [ObjectKind, string[], string[]][] = [
  ['tree', ['tree', 'oak', 'birch', 'maple'], ['trees', 'oaks', 'birches', 'maples']],
  ['pine', ['pine', 'fir', 'spruce', 'conifer'], ['pines', 'firs', 'spruces', 'conifers']],
  ['palm', ['palm'], ['palms']],
  ['bush', ['bush', 'shrub', 'hedge'], ['bushes', 'shrubs', 'hedges']],
  ['rock', ['rock', 'boulder', 'stone'], ['rocks', 'boulders', 'stones']],
  ['box', ['box', 'crate', 'cube', 'block', 'cabinet'], ['boxes', 'crates', 'cubes', 'blocks', 'cabinets']],
  ['sphere', ['sphere', 'ball', 'orb', 'globe'], ['spheres', 'balls', 'orbs', 'globes']],
  ['column', ['column', 'pillar', 'post', 'pole'], ['columns', 'pillars', 'posts', 'poles']],
  ['cone', ['cone', 'pyramid'], ['cones', 'pyramids']],
  ['tower', ['tower', 'lighthouse', 'spire'], ['towers', 'lighthouses', 'spires']],
  ['building', ['building', 'skyscraper', 'block'], ['buildings', 'skyscrapers']],
  ['house', ['house', 'cottage', 'cabin', 'hut', 'shop'], ['houses', 'cottages', 'cabins', 'huts', 'shops']],
  ['shelf', ['shelf', 'bookshelf', 'bookcase', 'book', 'wardrobe'], ['shelves', 'bookshelves', 'bookcases', 'books', 'wardrobes']],
  ['table', ['table', 'desk', 'counter'], ['tables', 'desks', 'counters']],
  ['chair', ['chair', 'stool', 'bench', 'armchair'], ['chairs', 'stools', 'benches', 'armchairs']],
  ['bed', ['bed'], ['beds']],
  ['lamp', ['lamp', 'light', 'lantern', 'streetlight', 'candle', 'chandelier'], ['lamps', 'lights', 'lanterns', 'streetlights', 'candles', 'chandeliers']],
  ['sofa', ['sofa', 'couch'], ['sofas', 'couches']],
  ['car', ['car', 'truck', 'van'], ['cars', 'trucks', 'vans']],
  ['cactus', ['cactus'], ['cacti', 'cactuses']],
  ['window', ['window'], ['windows']],
  ['plant', ['plant', 'flower', 'fern'], ['plants', 'flowers', 'ferns']],
];
for (const [kind, singular, plural] of nouns) {
  for (const w of singular) OBJECT_WORDS[w] = [kind, false];
  for (const w of plural) OBJECT_WORDS[w] = [kind, true];
}

export const COUNT_WORDS: Record<string, number | null> = {
  a: 1, an: 1, one: 1, single: 1, lone: 1, two: 2, pair: 2, couple: 2, three: 3, four: 4, five: 5, six: 6, seven: 7,
  eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, dozen: 12, fifteen: 15, twenty: 20, thirty: 30, fifty: 50,
  hundred: 100, few: 3, several: 4, many: 12, numerous: 16, lots: 12, some: null,
};

/** Glue words: understood, carry no meaning here, never reported as ignored. */
export const STOPWORDS = new Set([
  'the', 'with', 'at', 'in', 'on', 'of', 'and', 'under', 'near', 'by', 'for', 'to', 'is', 'are', 'was', 'were', 'be',
  'there', 'its', 'it', 'full', 'filled', 'lot', 'over', 'into', 'from', 'beside', 'next', 'behind', 'between',
  'covered', 'during', 'very', 'this', 'that', 'these', 'those', 'or', 'around', 'among', 'along', 'through',
  'across', 'as', 'made', 'out', 'up', 'down', 'lined', 'standing', 'stand', 'stands', 'sitting', 'against',
  'while', 'where', 'which', 'has', 'have', 'having', 'like', 'my', 'our', 'your', 'his', 'her', 'their', 'we', 'i',
  'you', 'of', 'all', 'quiet', 'beautiful', 'nice', 'scene', 'view', 'place', 'world', 'landscape', 'surrounded',
  'outside', 'outdoor', 'outdoors', 'above', 'below', 'front', 'side', 'sides', 'middle', 'center', 'centre',
  'old', 'new', 'tops', 'top', 'time', 'under', 'beneath', 'onto', 'towards', 'toward', 'far', 'away', 'distance',
]);
