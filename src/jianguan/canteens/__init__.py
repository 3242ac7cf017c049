"""学校食堂与明厨亮灶: canteen status per licence, 明厨亮灶 (未建、已建、已接入平台) and school canteen evaluations
(ADR 0003)."""
