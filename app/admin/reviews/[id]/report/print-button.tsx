"use client";
import { Button } from "@/app/_components/ui/button";

/** Opens the browser's print dialog (save as PDF from there). */
export function PrintButton() {
  return (
    <Button variant="secondary" onClick={() => window.print()} className="print:hidden">
      Print or save as PDF
    </Button>
  );
}
