"use client";
import { useEffect } from "react";

/**
 * Marks the document once React has hydrated it (`<html data-hydrated>`). Until then a server-rendered
 * button or input looks ready but does nothing: browser tests wait for the mark before they type or click.
 */
export function HydrationMark() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
  return null;
}
