import { Cancelled, cancellation } from '../../src/cancellation.js';

it('turns the runner’s SIGINT into a cancellation once, and survives a second signal', () => {
  expect(cancellation.aborted).toBe(false);
  process.emit('SIGINT');
  expect(cancellation.aborted).toBe(true);
  expect(cancellation.reason).toBeInstanceOf(Cancelled);
  expect((cancellation.reason as Cancelled).signalName).toBe('SIGINT');
  // What a debug log shows of it.
  expect(String(cancellation.reason)).toBe('Cancelled: cancelled by SIGINT');
  // The runner follows with SIGTERM: the process must not die of it before reporting.
  process.emit('SIGTERM');
  expect((cancellation.reason as Cancelled).signalName).toBe('SIGINT');
});
