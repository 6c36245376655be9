package io.telebridge.aws.dynamodb;

/**
 * One item operation of a TransactWriteItems: a Put (table, item, condition...), an Update (table, key,
 * update and condition expressions...), a Delete (table, key, condition...) or a ConditionCheck.
 */
public record TransactWriteItem(Kind kind, Request request) {

  /** The operation, by its wire name. */
  public enum Kind { Put, Update, Delete, ConditionCheck }

  public static TransactWriteItem put(Request request) {
    return new TransactWriteItem(Kind.Put, request);
  }

  public static TransactWriteItem update(Request request) {
    return new TransactWriteItem(Kind.Update, request);
  }

  public static TransactWriteItem delete(Request request) {
    return new TransactWriteItem(Kind.Delete, request);
  }

  public static TransactWriteItem conditionCheck(Request request) {
    return new TransactWriteItem(Kind.ConditionCheck, request);
  }
}
