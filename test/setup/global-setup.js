// Starts the services the tests need (moto). Replaced by the collection work.
export default async function globalSetup() {}
