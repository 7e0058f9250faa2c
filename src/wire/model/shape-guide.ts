import type { ShapeGuide } from '../../core/cloudtrail/request-parameters.js';
import type { ServiceModel } from './service-model.js';

/**
 * A model shape as CloudTrail's record writer asks about it (core/cloudtrail/request-parameters.ts):
 * is this object a map (keys are data) or a structure (keys are member names)? Built only for
 * calls that are recorded; shapes the generated model does not carry (most outputs) give none.
 */
export function shapeGuide(model: ServiceModel, name: string | undefined): ShapeGuide | undefined {
  const shape = name === undefined ? undefined : model.shapes[name];
  if (!shape) return undefined;
  switch (shape.t) {
    case 'structure':
      return { kind: 'structure', child: (key) => shapeGuide(model, shape.members[key]?.shape) };
    case 'map':
      return { kind: 'map', child: () => shapeGuide(model, shape.value) };
    case 'list':
      return { kind: 'list', child: () => shapeGuide(model, shape.member) };
    default:
      return { kind: 'other', child: () => undefined };
  }
}
