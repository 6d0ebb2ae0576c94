#!/usr/bin/env python3
"""Scores `fjern decode --jsonl` against the conformance corpus (../shared/conformance).

Run by scripts/conformance; Python 3 standard library only. Every vector goes through ONE
`fjern decode --jsonl` process (one request line, one answer line). An expected value is
matched when a decoded record of a compatible quantity carries it after unit conversion to
a common base (energy Wh, power W, time s, volume m3, ...). The exit status is 0 for any
score (this is a report) and 1 only when fjern crashed, hung or left a request unanswered.
"""
import argparse
import json
import math
import re
import subprocess
import sys
from collections import OrderedDict, defaultdict

# --------------------------------------------------------------------------------------------
# Units. Our canonical units (MBus Unit raw values) to (dimension, factor to that base).

OUR_UNITS = {
    "kWh": ("energy", 1000.0),          # base Wh
    "m3": ("volume", 1.0),
    "kg": ("mass", 1.0),
    "kW": ("power", 1000.0),            # base W
    "m3/h": ("volumeFlow", 1.0),
    "kg/h": ("massFlow", 1.0),
    "C": ("temperature", 1.0),
    "K": ("temperatureDifference", 1.0),
    "bar": ("pressure", 1.0),
    "h": ("time", 3600.0),              # base s
    "s": ("time", 1.0),
    "d": ("time", 86400.0),
    "V": ("voltage", 1.0),
    "A": ("current", 1.0),
    "kvarh": ("reactiveEnergy", 1000.0),
    "kVAh": ("apparentEnergy", 1000.0),
    "kvar": ("reactivePower", 1000.0),
    "kVA": ("apparentPower", 1000.0),
    "Hz": ("frequency", 1.0),
    "deg": ("phase", 1.0),
    "%": ("percent", 1.0),
    "Kelvin": ("absoluteTemperature", 1.0),
    "m3C": ("volumeTemperature", 1.0),
    "HCA": ("hca", 1.0),
    "currency": ("currency", 1.0),
    "baud": ("baud", 1.0),
    "bit-times": ("bitTimes", 1.0),
    "dBm": ("rfLevel", 1.0),
    "": ("none", 1.0),
}

TIME_QUANTITIES = {"onTime", "operatingTime", "operatingTimeBattery", "averagingDuration", "actualityDuration",
                   "durationSinceLastReadout", "durationSinceLastCumulation", "durationOfTariff", "periodOfTariff",
                   "remainingBatteryLifetime", "storageInterval", "responseDelay"}


def record_base(record):
    """(dimension, value in the base unit) of a decoded record, or None when not numeric."""
    value = record.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    dim, factor = OUR_UNITS.get(record.get("unit", ""), ("unknown:" + str(record.get("unit")), 1.0))
    return dim, float(value) * factor


def close(ours, expected, decimals=None):
    """Equal after rounding ours to the decimals the other tool printed, or within 1e-9 relative."""
    if ours is None or expected is None:
        return False
    if abs(ours - expected) <= 1e-9 * max(1.0, abs(expected)):
        return True
    if decimals is not None:
        return abs(round(ours, decimals) - expected) <= 1e-9 * max(1.0, abs(expected)) + 0.5 * 10.0 ** (-decimals - 3)
    return False


# --------------------------------------------------------------------------------------------
# One expectation: what to look for among a telegram's records.

class Expect:
    """kind: 'number' (dim, base value, decimals), 'exact' (int/str compared as is), 'date'
    (ISO prefix or None = invalid date marker), 'mfct' (manufacturer data bytes), 'check'
    (a header or error check already decided by a predicate on the answer)."""

    def __init__(self, label, kind, value, quantities=None, dim=None, decimals=None, address=None,
                 predicate=None, shown=None):
        self.label = label
        self.kind = kind
        self.value = value
        self.quantities = quantities      # set of our Quantity names, or None for any
        self.dim = dim
        self.decimals = decimals
        self.address = address            # dict storage/tariff/subunit/function, or None for any
        self.predicate = predicate
        self.shown = shown if shown is not None else value

    def candidates(self, answer):
        out = []
        # Registers the decoder derives (not sent as records): the flow/return difference.
        derived = []
        dt = (answer.get("registers") or {}).get("temperatureDifferenceK")
        if dt is not None and not any(r.get("quantity") == "temperatureDifference" for r in answer.get("records", [])):
            derived.append({"quantity": "temperatureDifference", "unit": "K", "value": dt, "storage": 0, "tariff": 0,
                            "subunit": 0, "function": "instantaneous", "difvif": "derived"})
        for r in answer.get("records", []) + derived:
            if self.quantities is not None and r.get("quantity") not in self.quantities:
                continue
            # a plain-text VIF's own unit, when fjern prints it (records[].unitText), must agree too
            want_text = getattr(self, "unit_text", None)
            if want_text is not None and r.get("unitText") is not None and r["unitText"].strip() != want_text.strip():
                continue
            if self.address and any(r.get(k) != v for k, v in self.address.items()):
                continue
            out.append(r)
        return out

    def matches(self, answer):
        if not answer.get("ok"):
            return self.kind == "check" and self.predicate(answer)
        if self.kind == "check":
            return self.predicate(answer)
        if self.kind == "mfct":
            data = answer.get("manufacturerData", "") or ""
            more_ok = (not self.value[1]) or answer.get("moreRecordsFollow") is True
            return data.upper() == self.value[0] and more_ok
        for r in self.candidates(answer):
            if self.kind == "number":
                base = record_base(r)
                # a temperature difference in K is the same number in degrees C
                same_dim = base and (base[0] == self.dim or (self.dim == "temperature" and base[0] == "temperatureDifference"))
                if same_dim and close(base[1], self.value, self.decimals):
                    return True
            elif self.kind == "exact":
                v = r.get("value")
                if isinstance(self.value, str):
                    if isinstance(v, str) and v.strip() == self.value.strip():
                        return True
                    # bytes print as hex; libmbus spaces them
                    if isinstance(v, str) and v.upper() == self.value.replace(" ", "").upper():
                        return True
                    try:
                        if isinstance(v, (int, float)) and not isinstance(v, bool) and close(float(v), float(self.value)):
                            return True
                    except ValueError:
                        pass
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    if isinstance(v, int) and isinstance(self.value, int):
                        if v == self.value:
                            return True
                    elif close(float(v), float(self.value), self.decimals):
                        return True
            elif self.kind == "date":
                v = r.get("value")
                # jMBus prints the invalid type-G date FFFF as 2128-03-31 (month 15 carried into
                # the year): a year past 2099 is that marker, and null is the right answer.
                if self.value is None or (isinstance(self.value, str) and self.value[:4].isdigit() and int(self.value[:4]) > 2099):
                    if v is None:
                        return True
                elif isinstance(v, str) and v.startswith(self.value):
                    return True
        return False

    def had(self, answer):
        """What we decoded of that quantity, for the miss list."""
        if not answer.get("ok"):
            err = answer.get("error", {})
            return "decode error %s: %s" % (err.get("code"), err.get("detail"))
        if self.kind == "mfct":
            return "manufacturerData=%r moreRecordsFollow=%r" % (answer.get("manufacturerData"), answer.get("moreRecordsFollow"))
        if self.kind == "check":
            return "answer: " + json.dumps({k: answer.get(k) for k in ("accessNumber", "status", "security", "manufacturer", "id", "version")})
        seen = []
        for r in answer.get("records", []):
            related = False
            if self.quantities is not None and r.get("quantity") in self.quantities:
                related = True
            elif self.kind == "number":
                base = record_base(r)
                related = bool(base and base[0] == self.dim)
            if related:
                seen.append("%s=%s%s s%s t%s u%s %s [%s]" % (r.get("quantity"), json.dumps(r.get("value")), r.get("unit"),
                                                             r.get("storage"), r.get("tariff"), r.get("subunit"),
                                                             r.get("function"), r.get("difvif")))
        return "; ".join(seen) if seen else "no record of that quantity"


# --------------------------------------------------------------------------------------------
# libmbus (wired): normalised XML records, converted to our quantity names and bases.

LIBMBUS_FUNCTION = {"Instantaneous value": "instantaneous", "Actual value": "instantaneous", "Maximum value": "maximum",
                    "Minimum value": "minimum", "Value during error state": "value-during-error"}

# libmbus normalised Quantity -> (our quantities, dimension or None). Unit gives the scale.
LIBMBUS_QUANTITY = {
    "Energy": ({"energy"}, "energy"),
    "Volume": ({"volume"}, "volume"),
    "Mass": ({"mass"}, "mass"),
    "Power": ({"power"}, "power"),
    "Volume flow": ({"volumeFlow"}, "volumeFlow"),
    "Mass flow": ({"massFlow"}, "massFlow"),
    "Flow temperature": ({"flowTemperature"}, "temperature"),
    "Return temperature": ({"returnTemperature"}, "temperature"),
    "External temperature": ({"externalTemperature"}, "temperature"),
    "Temperature difference": ({"temperatureDifference"}, "temperatureDifference"),
    "Pressure": ({"pressure"}, "pressure"),
    "Voltage": ({"voltage"}, "voltage"),
    "Current": ({"current"}, "current"),
    "Operating time": ({"operatingTime"}, "time"),
    "On time": ({"onTime"}, "time"),
    "Averaging Duration": ({"averagingDuration"}, "time"),
    "Actuality Duration": ({"actualityDuration"}, "time"),
    "Fabrication No": ({"fabricationNumber"}, None),
    "(Enhanced) Identification": ({"enhancedIdentification"}, None),
    "Error flags": ({"errorFlags"}, None),
    "Software version": ({"softwareVersion"}, None),
    "Firmware version": ({"firmwareVersion"}, None),
    "Hardware version": ({"hardwareVersion"}, None),
    "Model / Version": ({"modelVersion"}, None),
    "Parameter set identification": ({"parameterSet"}, None),
    "Customer location": ({"customerLocation"}, None),
    "Customer": ({"customer"}, None),
    "Digital Input": ({"digitalInput"}, None),
    "Digital Output": ({"digitalOutput"}, None),
    "Dimensionless": ({"dimensionless"}, None),
    "Reset counter": ({"resetCounter"}, None),
    "Special supplier information": ({"specialSupplierInformation"}, None),
    "Medium": ({"medium"}, None),
    "Manufacturer specific": ({"manufacturerSpecific"}, None),
    "Reserved": ({"unknown"}, None),
    "H.C.A.": ({"heatCostAllocation"}, None),
    "%RH": ({"relativeHumidity", "plainText"}, None),   # a plain-text VIF in the CMa10 frames
    "Time point (date)": ({"date", "dateTime"}, "date"),
    "Time point (date & time)": ({"dateTime", "date"}, "date"),
}

# libmbus normalised Unit -> (dimension, factor to our base).
LIBMBUS_UNIT = {"Wh": ("energy", 1.0), "J": ("energy", 1 / 3600.0), "m^3": ("volume", 1.0), "kg": ("mass", 1.0),
                "W": ("power", 1.0), "J/h": ("power", 1 / 3600.0), "m^3/h": ("volumeFlow", 1.0), "kg/h": ("massFlow", 1.0),
                "\u00c2\u00b0C": ("temperature", 1.0), "\u00b0C": ("temperature", 1.0), "K": ("temperatureDifference", 1.0),
                "bar": ("pressure", 1.0), "s": ("time", 1.0), "V": ("voltage", 1.0), "A": ("current", 1.0),
                # fixed-structure frames (CI 0x73): counters in the unit libmbus names
                "kWh": ("energy", 1000.0), "l": ("volume", 0.001)}


def decimals_of(text):
    m = re.match(r"^-?\d+\.(\d+)$", text.strip())
    return len(m.group(1)) if m else 0


def libmbus_expectations(vector):
    norm = vector.get("expected_normalized") or {}
    raw = {r.get("id"): r for r in (vector.get("expected_raw") or {}).get("records", [])}
    out = []
    for rec in norm.get("records", []):
        rid = rec.get("id")
        label = "record %s %s" % (rid, rec.get("Quantity") or rec.get("Unit") or "")
        function = rec.get("Function")
        value = rec.get("Value")
        if value is None and rid in raw:
            # libmbus printed no normalised value (unknown VIF): fall back to its raw record.
            rec = dict(raw[rid], Quantity=None, Unit=None)
            value = rec.get("Value")
            function = rec.get("Function")
            label += "(raw: %s)" % raw[rid].get("Unit")
        if function in ("Manufacturer specific", "More records follow"):
            data = (value or "").replace(" ", "").upper()
            out.append(Expect(label, "mfct", (data, function == "More records follow"), shown=value))
            continue
        address = {}
        if rec.get("StorageNumber") is not None:
            address["storage"] = int(rec["StorageNumber"])
        address["tariff"] = int(rec.get("Tariff") or 0)
        address["subunit"] = int(rec.get("Device") or 0)
        if function in LIBMBUS_FUNCTION:
            address["function"] = LIBMBUS_FUNCTION[function]
        quantity = rec.get("Quantity")
        unit = rec.get("Unit")
        if quantity in LIBMBUS_QUANTITY:
            quantities, dim = LIBMBUS_QUANTITY[quantity]
            if dim == "date":
                iso = value.rstrip("Z")
                invalid = bool(re.search(r"-00(?:-|T|$)", iso))
                out.append(Expect(label, "date", None if invalid else iso, quantities, address=address, shown=value))
            elif dim is not None and unit in LIBMBUS_UNIT:
                udim, factor = LIBMBUS_UNIT[unit]
                out.append(Expect(label, "number", float(value) * factor, quantities, dim=udim,
                                  decimals=decimals_of(value) if factor == 1.0 else None, address=address,
                                  shown="%s %s" % (value, unit)))
            else:
                out.append(Expect(label, "exact", exact_value(value), quantities, address=address, shown=value))
        elif quantity is None and unit in LIBMBUS_UNIT:
            # fixed-structure counters: the unit is all libmbus says
            udim, factor = LIBMBUS_UNIT[unit]
            address.pop("storage", None)
            out.append(Expect(label, "number", float(value) * factor, None, dim=udim, address=address,
                              shown="%s %s" % (value, unit)))
        elif quantity is None or quantity == "":
            address.pop("storage", None)
            out.append(Expect(label, "exact", exact_value(value), None, address=address, shown=value))
        else:
            # a plain-text VIF: libmbus names the unit from the telegram's own ASCII ("cust. ID")
            e = Expect(label + " (plain-text VIF)", "exact", exact_value(value), {"plainText"}, address=address,
                       shown=value)
            e.unit_text = quantity
            out.append(e)
    return out


def exact_value(text):
    """libmbus prints integers as floats with 6 zero decimals; texts and bytes as they are."""
    if text is None:
        return ""
    m = re.match(r"^(-?\d+)\.0+$", text)
    if m:
        return int(m.group(1))
    if re.match(r"^-?\d+\.\d+$", text):
        return float(text)
    return text


def libmbus_header(vector):
    slave = (vector.get("expected_normalized") or {}).get("slave") or {}
    out = []
    if not slave.get("Id"):
        return out
    want = {"id": slave.get("Id"), "manufacturer": slave.get("Manufacturer"),
            "version": int(slave["Version"]) if slave.get("Version", "").isdigit() else None,
            "accessNumber": int(slave["AccessNumber"]) if slave.get("AccessNumber", "").isdigit() else None}
    for key, value in want.items():
        if value is None:
            continue
        out.append(Expect("header " + key, "check", value, predicate=lambda a, k=key, v=value: a.get("ok") and header_equal(a.get(k), v)))
    return out


def header_equal(ours, theirs):
    if isinstance(theirs, str) and isinstance(ours, str):
        return ours.lstrip("0") == theirs.lstrip("0")
    return ours == theirs


# --------------------------------------------------------------------------------------------
# OMS annex and jMBus vectors.

JMBUS_TYPE = {
    "VIF_ENERGY_WATT": {"energy"}, "VIF_ENERGY_JOULE": {"energy"}, "VIF_ENERGY_E8": None, "VIF_ENERGY_E9": None,
    "VIF_VOLUME": {"volume"}, "VIF_ON_TIME": {"onTime"}, "VIF_OPERATING_TIME": {"operatingTime"},
    "VIF_FLOW_TEMP": {"flowTemperature"}, "VIF_RETURN_TEMP": {"returnTemperature"},
    "VIF_KAMSTRUP_INFO_20": {"infoCode", "manufacturerSpecific", "errorFlags"}, "VIF_ERROR_FLAGS": {"errorFlags"},
    "VIF_HCA": {"heatCostAllocation", "pulseCounter"}, "VIF_ACCESS_NO": {"accessNumber"}, "VIF_OWNER_NO": {"customer", "enhancedIdentification"},
    "VIF_TIME_POINT_DATE": {"date"}, "VIF_TIME_POINT_DATE_TIME": {"dateTime"}, "VIF_VOLUME_FLOW": {"volumeFlow"},
    "VIF_UNKNOWN": None, "VIF_FABRICATION_NO": {"fabricationNumber"}, "VIF_THERMAL_POWER": {"power"},
    "VIF_ACTUALITY_DURATION": {"actualityDuration"}, "VIF_CUSTOMER_LOCATION": {"customerLocation"},
    "VIF_TYPE_MANUFACTURER_UNKOWN": {"manufacturerSpecific"},
}
JMBUS_UNIT = {"Wh": ("energy", 1.0), "J": ("energy", 1 / 3600.0), "J/h": ("power", 1 / 3600.0), "W": ("power", 1.0),
              "m\u00b3": ("volume", 1.0), "m\u00b3/h": ("volumeFlow", 1.0), "h": ("time", 3600.0), "s": ("time", 1.0),
              "\u00b0C": ("temperature", 1.0), "K": ("temperatureDifference", 1.0)}
JMBUS_FUNCTION = {0: "instantaneous", 1: "maximum", 2: "minimum", 3: "value-during-error"}


def tpl_header(vector):
    chain = (vector.get("frame") or {}).get("ci_chain") or []
    return any(ci in ("72", "7A", "7B", "73") for ci in chain)


def oms_expectations(vector):
    exp = vector.get("expected") or {}
    out = []
    for rec in exp.get("dataRecord", []):
        label = "record %s %s" % (rec.get("number"), rec.get("description"))
        address = {"storage": rec.get("storageNo", 0), "tariff": rec.get("tariff", 0), "subunit": rec.get("devUnit", 0),
                   "function": JMBUS_FUNCTION.get(rec.get("functionField", 0))}
        quantities = JMBUS_TYPE.get(rec.get("type"))
        value, unit = rec.get("value"), rec.get("unit", "")
        if rec.get("type") in ("VIF_ENERGY_E8", "VIF_ENERGY_E9"):
            # Kamstrup's E8/E9 (04FF07/04FF08) are volume-weighted temperature integrals in
            # m3 x degC (Kamstrup's manuals, wmbusmeters' forward/return_energy_m3c); jMBus shows
            # the same register scaled to Wh. Compared by the register value both read.
            raw = float(value) / 1000.0
            out.append(Expect(label + " (register value, m3C)", "exact", int(raw) if raw.is_integer() else raw,
                              {"volumeTemperatureIntegral"}, address=address))
        elif rec.get("type") in ("VIF_TIME_POINT_DATE", "VIF_TIME_POINT_DATE_TIME"):
            out.append(Expect(label, "date", str(value).replace(" ", "T"), quantities, address=address))
        elif unit in JMBUS_UNIT:
            dim, factor = JMBUS_UNIT[unit]
            number = float(value)
            decimals = decimals_of(value) if isinstance(value, str) else None
            out.append(Expect(label, "number", number * factor, quantities, dim=dim, decimals=decimals, address=address,
                              shown="%s %s" % (value, unit)))
        else:
            v = value
            if isinstance(v, str) and re.match(r"^-?\d+$", v):
                v = int(v)
            out.append(Expect(label, "exact", v, quantities, address=address))
    info = exp.get("deviceInformation") or {}
    for key, ours in (("Id", "id"), ("Manufacturer", "manufacturer"), ("Version", "version"), ("AccessNumber", "accessNumber")):
        # jMBus and wireless-mbus-parser print access number 0 when there is no TPL header
        # (CI 0x78/0x79 after an ELL, or none at all); ours is then the ELL's or absent.
        if key == "AccessNumber" and str(info.get(key)) == "0" and not tpl_header(vector):
            continue
        if key in info:
            out.append(Expect("header " + ours, "check", info[key],
                              predicate=lambda a, o=ours, v=info[key]: a.get("ok") and header_equal(a.get(o), v)))
    # the other expectation forms of this file
    if "record_1_scaled_value" in exp:
        want = float(exp["record_1_scaled_value"])
        out.append(Expect("record 1 scaled value", "check", want, predicate=lambda a, w=want: a.get("ok") and bool(a.get("records"))
                          and len(a["records"]) > 1
                          # jMBus's getDataRecords().get(1): the second record, 0-based.
                          and isinstance(a["records"][1].get("value"), (int, float))
                          and any(close(float(a["records"][1]["value"]) * f, w) for f in (1.0, 1000.0, 0.001))))
    if "decrypted_hex" in exp:
        # A compact frame (CI 0x79) with no full frame seen: decrypting and the PLCRC succeed, then
        # the format is unknown. Either answer proves the decryption.
        out.append(Expect("ELL AES-CTR decrypts (PLCRC verifies)", "check", "ok or unknown-compact-format",
                          predicate=lambda a: a.get("ok") or a.get("error", {}).get("code") == "unknown-compact-format"))
    if "access_number" in exp:
        out.append(Expect("accessNumber", "check", exp["access_number"], predicate=lambda a, v=exp["access_number"]: a.get("accessNumber") == v))
        out.append(Expect("status", "check", exp["status"], predicate=lambda a, v=exp["status"]: a.get("status") == v))
        out.append(Expect("security mode 5", "check", "mode5", predicate=lambda a: a.get("security") == "mode5"))
        out.append(Expect("first record DIF 0C", "check", exp["record0_dib"],
                          predicate=lambda a, d=exp["record0_dib"]: bool(a.get("records")) and a["records"][0].get("difvif", "").startswith(d)))
    return out


# --------------------------------------------------------------------------------------------
# wmbusmeters: fields named by unit suffix.

# suffix -> (dimension, factor to our base, quantities or None for any of that dimension)
WMB_SUFFIX = OrderedDict([
    ("kwh", ("energy", 1000.0, None)), ("mwh", ("energy", 1e6, None)), ("gj", ("energy", 1e9 / 3600.0, None)),
    ("m3", ("volume", 1.0, None)), ("l", ("volume", 0.001, None)),
    ("c", ("temperature", 1.0, None)), ("k", ("temperatureDifference", 1.0, None)),
    ("kw", ("power", 1000.0, None)), ("w", ("power", 1.0, None)),
    ("m3h", ("volumeFlow", 1.0, None)), ("lh", ("volumeFlow", 0.001, None)),
    ("h", ("time", 3600.0, None)), ("s", ("time", 1.0, None)), ("d", ("time", 86400.0, None)),
    ("y", ("time", 365 * 86400.0, None)),
    ("v", ("voltage", 1.0, None)), ("a", ("current", 1.0, None)), ("hz", ("frequency", 1.0, None)),
    ("bar", ("pressure", 1.0, None)), ("hca", (None, 1.0, {"heatCostAllocation"})),
    ("rh", ("percent", 1.0, {"relativeHumidity"})), ("pct", ("percent", 1.0, None)),
    ("m3c", ("volumeTemperature", 1.0, None)),
    ("kvarh", ("reactiveEnergy", 1000.0, None)), ("kvah", ("apparentEnergy", 1000.0, None)),
    ("kvar", ("reactivePower", 1000.0, None)), ("kva", ("apparentPower", 1000.0, None)),
])
# Fields wmbusmeters takes from the radio link, not from data records.
WMB_LINK_FIELDS = {"rssi_dbm"}


def wmb_decimals(value):
    text = repr(value)
    if "e" in text or "E" in text:
        return None
    return len(text.split(".")[1]) if "." in text else 0


def wmb_expectations(vector, skipped):
    out = []
    for name, value in vector.get("expected", {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        suffix = name.rsplit("_", 1)[-1] if "_" in name else ""
        if name in WMB_LINK_FIELDS:
            skipped["link metadata (" + name + ")"] += 1
            continue
        if suffix not in WMB_SUFFIX:
            skipped["no unit suffix (_%s)" % suffix] += 1
            continue
        dim, factor, quantities = WMB_SUFFIX[suffix]
        decimals = wmb_decimals(value)
        if dim is None:
            out.append(Expect(name, "exact", value, quantities, decimals=decimals))
        else:
            e = Expect(name, "number", float(value) * factor, quantities, dim=dim, shown=value)
            # rounding happens in the unit wmbusmeters printed: compare there
            e.decimals = None
            e.wmb = (factor, decimals)
            out.append(e)
    return out


def wmb_number_match(expect, answer):
    factor, decimals = expect.wmb
    for r in expect.candidates(answer):
        base = record_base(r)
        if base and base[0] == expect.dim and close(base[1] / factor, expect.value / factor, decimals):
            return True
    return False


# --------------------------------------------------------------------------------------------

class Tally:
    def __init__(self):
        self.groups = defaultdict(lambda: [0, 0])

    def add(self, keys, matched):
        for key in keys:
            self.groups[key][1] += 1
            if matched:
                self.groups[key][0] += 1

    def rate(self, key):
        m, n = self.groups.get(key, (0, 0))
        return m, n, (100.0 * m / n if n else 100.0)


def pct(m, n):
    return "%d/%d (%.1f%%)" % (m, n, 100.0 * m / n if n else 100.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fjern", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--timeout", type=int, default=600)
    args = ap.parse_args()

    vectors = []   # (origin, name, mfct, security, request, kind, payload)
    for line in open(args.corpus + "/libmbus/index.jsonl", encoding="utf-8"):
        v = json.loads(line)
        frame = v.get("frame") or {}
        hexdigits = v["telegram_hex"].replace(" ", "")
        if len(hexdigits) % 2:
            # manual_frame1 ends in half a byte: send the whole bytes (the decoder must still refuse them)
            hexdigits = hexdigits[:-1]
        vectors.append(("libmbus/" + v["set"], v["name"], frame.get("mfct", "?"), "none",
                        {"hex": hexdigits}, "libmbus", v))
    for line in open(args.corpus + "/oms-jmbus-vectors.jsonl", encoding="utf-8"):
        v = json.loads(line)
        frame = v.get("frame") or {}
        # Key-less vectors whose header says "encrypted" carry plaintext (the test suites'
        # convention, as in wmbusmeters' predecrypted items): decode them as already decrypted.
        request = {"hex": v["telegram_hex"], "key": v.get("key"), "assumeDecrypted": v.get("key") is None}
        vectors.append(("oms-jmbus: " + (v.get("source_repo") or "?"), v["test_name"], frame.get("mfct", "?"), frame.get("security", "?"),
                        request, "oms", v))
        if v.get("wrong_key_expect_failure"):
            vectors.append(("oms-jmbus: " + (v.get("source_repo") or "?"), v["test_name"] + " (wrong key)", frame.get("mfct", "?"),
                            frame.get("security", "?"), {"hex": v["telegram_hex"], "key": v["wrong_key_expect_failure"]},
                            "wrongkey", v))
    out_of_scope = defaultdict(int)
    for line in open(args.corpus + "/wmbusmeters-sample.jsonl", encoding="utf-8"):
        v = json.loads(line)
        state = v.get("payload_state")
        if state == "mfct_specific_ci":
            out_of_scope["proprietary CI 0xA0-0xB7 (mfct_specific_ci)"] += 1
            continue
        if state in ("other_security_mode", "encrypted_unverified"):
            out_of_scope[state] += 1
            continue
        request = {"hex": v["telegram_hex"], "key": v.get("key"), "assumeDecrypted": state == "predecrypted",
                   "prior": v.get("prior_telegrams") or []}
        vectors.append(("wmbusmeters: " + v.get("source_kind", v["source_repo"]), "%s %s" % (v["driver"], v.get("meter_id")),
                        (v.get("frame") or {}).get("mfct", "?"), v.get("security", "?"), request, "wmb", v))

    payload = "".join(json.dumps(vec[4]) + "\n" for vec in vectors)
    print("Feeding %d telegrams to one `%s decode --jsonl`" % (len(vectors), args.fjern))
    crashed = False
    try:
        proc = subprocess.run([args.fjern, "decode", "--jsonl"], input=payload.encode(), capture_output=True,
                              timeout=args.timeout)
        # JSON lines end in "\n" only; str.splitlines would also split at U+0085/U+2028 inside strings.
        answers_raw = proc.stdout.decode("utf-8", "replace").split("\n")
        if answers_raw and answers_raw[-1] == "": answers_raw.pop()
        if proc.returncode != 0:
            crashed = True
            print("ERROR: fjern decode --jsonl exited with status %d; stderr tail:\n%s"
                  % (proc.returncode, proc.stderr.decode("utf-8", "replace")[-2000:]))
    except subprocess.TimeoutExpired as e:
        crashed = True
        answers_raw = [l for l in (e.stdout or b"").decode("utf-8", "replace").split("\n") if l]
        print("ERROR: fjern decode --jsonl did not finish within %ds" % args.timeout)
    answers = []
    for i, text in enumerate(answers_raw):
        try:
            answers.append(json.loads(text))
        except ValueError:
            crashed = True
            print("ERROR: answer %d is not JSON: %r" % (i + 1, text[:200]))
            answers.append({"ok": False, "error": {"code": "no-answer", "detail": "not JSON"}})
    if len(answers) != len(vectors):
        crashed = True
        print("ERROR: %d requests, %d answers" % (len(vectors), len(answers)))
    while len(answers) < len(vectors):
        answers.append({"ok": False, "error": {"code": "no-answer", "detail": "fjern gave no answer"}})

    tally = Tally()
    misses = defaultdict(list)           # origin -> lines
    error_frames = []
    skipped = defaultdict(int)
    decode_failures = defaultdict(int)
    for (origin, name, mfct, security, request, kind, v), answer in zip(vectors, answers):
        if kind == "libmbus" and v["set"] != "test-frames":
            code = answer.get("error", {}).get("code") if not answer.get("ok") else None
            structured = code not in (None, "bad-input", "no-answer")
            detail = answer.get("error", {}).get("detail") if code else "decoded OK"
            # libmbus cannot read a reply that is all manufacturer data with DIF 0x1F (more
            # records follow); EN 13757-3 defines it, so decoding it as exactly that is right too.
            if (not code and v["set"] == "unsupported-frames" and not answer.get("records")
                    and answer.get("moreRecordsFollow") is True and answer.get("manufacturerData")):
                structured = True
                detail = "decoded: all manufacturer data, more records follow (DIF 0x1F); libmbus lists it unsupported"
            error_frames.append((v["set"], name, code, detail, structured))
            continue
        if kind == "wrongkey":
            code = answer.get("error", {}).get("code")
            good = not answer.get("ok") and code in ("decryption-failed", "crc-mismatch", "mac-mismatch")
            tally.add([("origin", origin), ("mfct", mfct), ("security", security), ("all", "oms")], good)
            if not good:
                misses[origin].append("  %s: a wrong key must fail with decryption-failed; got %s" % (name, json.dumps(answer)[:300]))
            continue
        if kind == "libmbus":
            expects = libmbus_header(v) + libmbus_expectations(v)
        elif kind == "oms":
            expects = oms_expectations(v)
        else:
            expects = wmb_expectations(v, skipped)
        if not answer.get("ok"):
            decode_failures[origin] += 1
        header_printed = False
        for e in expects:
            matched = wmb_number_match(e, answer) if hasattr(e, "wmb") and answer.get("ok") else e.matches(answer)
            is_header = e.label.startswith("header ")
            group = "libmbus-records" if kind == "libmbus" and not is_header else kind
            keys = [("origin", origin), ("mfct", mfct), ("security", security), ("all", group)]
            if is_header:
                keys = [("all", kind + "-header")]
            elif mfct in ("KAM", "KAW"):
                keys.append(("all", "kamstrup"))
            tally.add(keys, matched)
            if not matched:
                if not header_printed:
                    misses[origin].append("  %s [%s, %s]%s" % (name, mfct, security, "" if answer.get("ok") else
                                                               " -> %s" % e.had(answer)))
                    header_printed = True
                if answer.get("ok"):
                    misses[origin].append("      %-34s expected %-22s had: %s" % (e.label, e.shown, e.had(answer)))
                else:
                    misses[origin].append("      %-34s expected %s" % (e.label, e.shown))

    def section(title, kind):
        rows = sorted(k for k in tally.groups if k[0] == kind)
        print("\n%s" % title)
        for k in rows:
            m, n, _ = tally.rate(k)
            print("  %-58s %s" % (k[1], pct(m, n)))

    section("Per origin (expected values matched)", "origin")
    section("Per manufacturer", "mfct")
    section("Per security mode", "security")

    print("\nDecode failures (telegrams whose answer was an error) per origin:")
    for origin in sorted(decode_failures):
        print("  %-58s %d" % (origin, decode_failures[origin]))

    print("\nlibmbus error and unsupported frames (must give a structured error):")
    for s, name, code, detail, structured in error_frames:
        print("  %-4s %-20s %-40s %s: %s" % ("ok" if structured else "BAD", s, name, code, detail))

    print("\nNot scored:")
    for why, n in sorted(out_of_scope.items()):
        print("  %4d telegrams: %s" % (n, why))
    for why, n in sorted(skipped.items()):
        print("  %4d wmbusmeters fields: %s" % (n, why))

    print("\nMisses:")
    any_miss = False
    for origin in sorted(misses):
        print(" %s" % origin)
        for line in misses[origin]:
            print(line)
        any_miss = True
    if not any_miss:
        print("  none")

    lm, ln, _ = tally.rate(("all", "libmbus-records"))
    om, on, _ = tally.rate(("all", "oms"))
    wm, wn, wr = tally.rate(("all", "wmb"))
    km, kn, _ = tally.rate(("all", "kamstrup"))
    hm, hn, _ = tally.rate(("all", "libmbus-header"))
    ef_ok = sum(1 for f in error_frames if f[4])
    print("\nIssue 4 conformance figures")
    print("  libmbus normalised records matched:        %s   target: all 942   %s"
          % (pct(lm, ln), "MET" if lm == ln == 942 else "NOT MET"))
    print("  libmbus headers (id, manufacturer, version, access number): %s" % pct(hm, hn))
    print("  OMS annex + jMBus expected values:         %s   target: all   %s" % (pct(om, on), "MET" if om == on else "NOT MET"))
    print("  wmbusmeters, standard CI:                  %s   target: >= 98%%   %s" % (pct(wm, wn), "MET" if wr >= 98.0 else "NOT MET"))
    print("  Kamstrup (KAM/KAW) values, all corpora:    %s   target: all   %s" % (pct(km, kn), "MET" if km == kn else "NOT MET"))
    print("  libmbus error/unsupported frames with a structured error: %d/%d   %s"
          % (ef_ok, len(error_frames), "MET" if ef_ok == len(error_frames) else "NOT MET"))
    if crashed:
        print("\nFAILED: fjern crashed, hung or left requests unanswered (see above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
