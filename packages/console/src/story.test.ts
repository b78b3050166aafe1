import { describe, expect, it } from 'vitest';
import { joinerMoverLeaver, type StoryStepInput, storyStepOf } from './story.js';

function step(method: string, path: string, requestBody = '', deactivated = false) {
  const input: StoryStepInput = {
    method,
    segments: path.split('/').filter(Boolean),
    requestBody,
    deactivated,
  };
  return storyStepOf(input);
}

describe('storyStepOf', () => {
  it('names what Entra ID and Okta send by the step of the lifecycle it is', () => {
    expect(step('GET', '/ServiceProviderConfig')).toBe('Discovery');
    expect(step('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User')).toBe('Discovery');
    expect(step('GET', '/ResourceTypes')).toBe('Discovery');
    expect(step('GET', '/openapi.json')).toBe('Discovery');
    expect(step('POST', '/Users', '{"userName":"b"}')).toBe('Joiner');
    expect(step('GET', '/Users')).toBe('Reconciliation');
    expect(step('POST', '/Users/.search', '{"filter":"userName eq \\"b\\""}')).toBe('Reconciliation');
    expect(step('PATCH', '/Users/1', '{"Operations":[{"op":"Replace","path":"title","value":"x"}]}')).toBe(
      'Mover',
    );
    expect(step('PUT', '/Users/1', '{"userName":"b","active":true}')).toBe('Mover');
    expect(step('DELETE', '/Users/1')).toBe('Hard delete');
    expect(step('POST', '/Groups', '{"displayName":"g"}')).toBe('Group push');
    expect(step('PATCH', '/Groups/1', '{"Operations":[{"op":"add","path":"members","value":[]}]}')).toBe(
      'Group join',
    );
    expect(step('PATCH', '/Groups/1', '{"Operations":[{"op":"replace","value":{"displayName":"x"}}]}')).toBe(
      'Group push',
    );
    expect(step('POST', '/Bulk', '{}')).toBe('Other');
  });

  it('recognises a leaver by the deactivation, or by the body when the write failed', () => {
    expect(step('PATCH', '/Users/1', '{}', true)).toBe('Leaver');
    expect(
      step('PATCH', '/Users/1', '{"Operations":[{"op":"Replace","path":"active","value":"False"}]}'),
    ).toBe('Leaver');
    expect(step('PATCH', '/Users/1', '{"Operations":[{"op":"replace","value":{"active":false}}]}')).toBe(
      'Leaver',
    );
    expect(step('PUT', '/Users/1', '{"userName":"b","active": false}')).toBe('Leaver');
  });
});

describe('joinerMoverLeaver', () => {
  it('lists the steps of the story in order, the hard delete only when asked', () => {
    expect(joinerMoverLeaver().map((entry) => entry.step)).toEqual([
      'Discovery',
      'Group push',
      'Joiner',
      'Group join',
      'Mover',
      'Reconciliation',
      'Leaver',
    ]);
    expect(joinerMoverLeaver({ hardDelete: true }).at(-1)?.step).toBe('Hard delete');
    expect(
      joinerMoverLeaver()
        .filter((entry) => entry.setup)
        .map((entry) => entry.step),
    ).toEqual(['Group push']);
  });
});
