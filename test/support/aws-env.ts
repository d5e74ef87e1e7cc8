/** Environment that points the real SDK at the emulator, with fake credentials and no other AWS source. */
export function emulatorEnv(url: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_LAMBDA: url,
    AWS_ACCESS_KEY_ID: 'AKIDEMULATOR00000000',
    AWS_SECRET_ACCESS_KEY: 'emulator-secret-key-do-not-log',
    AWS_SESSION_TOKEN: 'emulator-session-token-do-not-log',
    AWS_REGION: 'us-east-1',
    // Never reach for instance metadata or the machine's own AWS files.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}
