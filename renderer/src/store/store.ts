import { create } from 'zustand';
import { routesSlice } from './routes-slice.js';
import { trafficSlice } from './traffic-slice.js';
import { certificatesSlice, settingsSlice, uiSlice } from './other-slices.js';
import type { State } from './types.js';

export const useStore = create<State>()((...a) => ({
  ...routesSlice(...a),
  ...trafficSlice(...a),
  ...certificatesSlice(...a),
  ...settingsSlice(...a),
  ...uiSlice(...a),
}));
