package io.telebridge.matching;

/** LINK: certainly an existing patient. REVIEW: possibly; a person decides. NEW: nobody like them. */
public enum Decision {
  LINK, REVIEW, NEW
}
