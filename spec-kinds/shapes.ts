/** The shape of a spec: what its declaration is. Adding a shape adds a folder and a line here. */
import type { FoundSpec } from '../spec/find-specs';
import { classShape } from './class-spec/class-shape';
import { functionShape } from './function-spec/function-shape';
import type { SpecShape } from './spec-shape';

const SHAPES: Readonly<Record<NonNullable<FoundSpec['shape']>, SpecShape>> = { function: functionShape, class: classShape };

export function shapeOf(spec: Pick<FoundSpec, 'shape'>): SpecShape {
  return SHAPES[spec.shape ?? 'function'];
}
