package verity.support;

/** The two databases every API test runs against. */
public enum Db { SQLITE, POSTGRES }
