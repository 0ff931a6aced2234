/**
 * The test settings of vitest.config.mts's miniflare bindings, for the Node run: mail to the local
 * fake of an HTTP mail API, Stripe's fake, generous plan limits, the privacy keys.
 */
export function testBindings(fakeApiPort: number): Record<string, string> {
  return {
    ENVIRONMENT: "test",
    REQUEST_LOG: "off",
    MAIL_PROVIDER: "http",
    MAIL_HTTP_URL: `http://127.0.0.1:${fakeApiPort}/mail/send`,
    MAIL_HTTP_TOKEN: "test-mail-token",
    STRIPE_SECRET_KEY: "sk_test_customertrackr_fake",
    STRIPE_WEBHOOK_SECRET: "whsec_test_customertrackr_fake",
    STRIPE_API_HOST: "127.0.0.1",
    STRIPE_API_PORT: String(fakeApiPort),
    STRIPE_API_PROTOCOL: "http",
    STRIPE_PRICE_MONTHLY: "price_test_team_monthly",
    STRIPE_PRICE_YEARLY: "price_test_team_yearly",
    FREE_MAX_SEATS: "1000",
    FREE_MAX_CONTACTS: "1000000",
    SUPPRESSION_KEY: "test-suppression-key-not-secret-0123456789",
    UNSUBSCRIBE_KEY: "test-unsubscribe-key-not-secret-0123456789",
    DEVICE_COOKIE_KEY: "test-device-cookie-key-not-secret-0123456789",
  };
}
