// The entrypoint @github/local-action runs (see scripts/local.ts). local-action imports this module with
// @actions/core and @actions/github replaced by its stubs, then calls run(). src/index.ts runs the action
// when imported and exports nothing, so it cannot be the entrypoint itself; importing it from run()
// executes exactly the code the runner executes, with the stubs in place.
export async function run(): Promise<void> {
  await import('../src/index.js');
}
