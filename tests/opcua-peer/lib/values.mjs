// The JSON conventions for OPC UA values shared by server.mjs (manifest), client.mjs (read,
// subscribe, write) and the C# interop tests. README.md ("JSON value conventions") is the
// reference; in short:
//
//   Boolean                  true / false
//   SByte .. UInt32, Byte    JSON number
//   Int64, UInt64            decimal string ("-9223372036854775808")
//   Float, Double            JSON number (Float widened from its 32-bit value); NaN and the
//                            infinities, which JSON lacks, as the strings "NaN", "Infinity",
//                            "-Infinity"
//   String, XmlElement       JSON string (a null string is null)
//   DateTime                 ISO-8601 UTC, always 7 fractional digits: "2024-02-29T13:45:30.1234567Z"
//   Guid                     lowercase "8-4-4-4-12"
//   ByteString               base64 (a null ByteString is null)
//   NodeId                   OPC UA text form: "i=85", "ns=1;s=Foo", "ns=1;g=<guid>", "ns=1;b=<base64>"
//   ExpandedNodeId           the same, prefixed with "svr=<n>;" when the server index is not 0 and
//                            with "nsu=<uri>;" instead of "ns=<n>;" when it carries a namespace URI
//   StatusCode               JSON number (the 32-bit code)
//   QualifiedName            {"namespaceIndex": n, "name": "..."}
//   LocalizedText            {"locale": "..." | null, "text": "..." | null}
//   ExtensionObject          {"typeId": <binary encoding id>, "dataTypeId": ..., "dataType": <name>,
//                             "fields": {<spec field name>: <value>, ...}}; a body the decoder does
//                            not know: {"typeId": ..., "body": <base64>}
//   DataValue                {"value": <Variant>, "statusCode": n, "sourceTimestamp": ..., "serverTimestamp": ...}
//   Variant (as an element)  {"type": <built-in type name>, "value": <value>}
//   DiagnosticInfo           {"symbolicId", "namespaceUri", "locale", "localizedText",
//                             "additionalInfo", "innerStatusCode", "innerDiagnosticInfo"}
//   arrays                   JSON arrays of the above
//   matrices                 {"dimensions": [d0, d1, ...], "elements": [flat, last dimension fastest]}

import { Buffer } from "node:buffer";
import { opcua, requireFromNodeOpcua } from "./opcua-client.mjs";

const { DataType, VariantArrayType, Variant, NodeId, ExpandedNodeId, QualifiedName, LocalizedText, coerceNodeId } = opcua;
const { getStatusCodeFromCode } = requireFromNodeOpcua("node-opcua-status-code");
const { NodeIdType } = NodeId;

const TWO_POW_32 = 0x1_0000_0000n;
const TWO_POW_64 = 0x1_0000_0000_0000_0000n;

/** Name of a built-in type (DataType enum value), e.g. 6 -> "Int32". */
export function builtInTypeName(dataType) {
    return DataType[dataType] ?? `Unknown(${dataType})`;
}

/** Name of a VariantArrayType: "Scalar", "Array" or "Matrix". */
export function arrayTypeName(arrayType) {
    return VariantArrayType[arrayType] ?? `Unknown(${arrayType})`;
}

/** {"name", "value"} of a StatusCode, as printed by client.mjs. */
export function statusCodeToJson(statusCode) {
    return { name: statusCode.name, value: statusCode.value };
}

// ---------------------------------------------------------------------------------------------
// node-opcua value -> JSON
// ---------------------------------------------------------------------------------------------

/** The JSON form of a Variant's value (scalar, array or matrix); see the table above. */
export function variantToJson(variant) {
    if (!variant || variant.dataType === DataType.Null) {
        return null;
    }
    const { dataType, arrayType, value } = variant;
    if (arrayType === VariantArrayType.Scalar) {
        return scalarToJson(dataType, value);
    }
    const elements = Array.from(value ?? [], (element) => scalarToJson(dataType, element));
    if (arrayType === VariantArrayType.Matrix) {
        return { dimensions: Array.from(variant.dimensions ?? []), elements };
    }
    return elements;
}

/** The JSON form of one value of the given built-in type. */
export function scalarToJson(dataType, value) {
    switch (dataType) {
        case DataType.Null:
            return null;
        case DataType.Boolean:
            return Boolean(value);
        case DataType.SByte:
        case DataType.Byte:
        case DataType.Int16:
        case DataType.UInt16:
        case DataType.Int32:
        case DataType.UInt32:
            return Number(value);
        case DataType.Int64:
            return int64ToString(value, true);
        case DataType.UInt64:
            return int64ToString(value, false);
        case DataType.Float:
            return numberToJson(Math.fround(value));
        case DataType.Double:
            return numberToJson(value);
        case DataType.String:
        case DataType.XmlElement:
            return value ?? null;
        case DataType.DateTime:
            return dateTimeToJson(value);
        case DataType.Guid:
            return value ? String(value).toLowerCase() : null;
        case DataType.ByteString:
            return value ? Buffer.from(value).toString("base64") : null;
        case DataType.NodeId:
            return value ? nodeIdToText(value) : null;
        case DataType.ExpandedNodeId:
            return value ? expandedNodeIdToText(value) : null;
        case DataType.StatusCode:
            return value.value;
        case DataType.QualifiedName:
            return { namespaceIndex: value?.namespaceIndex ?? 0, name: value?.name ?? null };
        case DataType.LocalizedText:
            return { locale: value?.locale ?? null, text: value?.text ?? null };
        case DataType.ExtensionObject:
            return extensionObjectToJson(value);
        case DataType.DataValue:
            return dataValueToJson(value);
        case DataType.Variant:
            return typedVariantToJson(value);
        case DataType.DiagnosticInfo:
            return diagnosticInfoToJson(value);
        default:
            throw new Error(`no JSON convention for built-in type ${builtInTypeName(dataType)}`);
    }
}

/** A Variant as {"type", "value"}, the form of Variant elements and of DataValue.value. */
export function typedVariantToJson(variant) {
    if (!variant) {
        return { type: "Null", value: null };
    }
    return { type: builtInTypeName(variant.dataType), value: variantToJson(variant) };
}

/** ISO-8601 UTC with 7 fractional digits; node-opcua keeps the 100 ns ticks below the
 * millisecond in date.picoseconds (or a DataValue's source/serverPicoseconds). */
export function dateTimeToJson(date, picoseconds = date?.picoseconds) {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
        return null;
    }
    const ticks = Math.floor((picoseconds ?? 0) / 100_000); // 100 ns units within the millisecond
    return `${date.toISOString().slice(0, 23)}${String(ticks).padStart(4, "0")}Z`;
}

export function nodeIdToText(nodeId) {
    const ns = nodeId.namespace ? `ns=${nodeId.namespace};` : "";
    return ns + identifierToText(nodeId);
}

export function expandedNodeIdToText(nodeId) {
    const svr = nodeId.serverIndex ? `svr=${nodeId.serverIndex};` : "";
    const ns = nodeId.namespaceUri ? `nsu=${nodeId.namespaceUri};` : nodeId.namespace ? `ns=${nodeId.namespace};` : "";
    return svr + ns + identifierToText(nodeId);
}

function identifierToText(nodeId) {
    switch (nodeId.identifierType) {
        case NodeIdType.NUMERIC:
            return `i=${nodeId.value}`;
        case NodeIdType.STRING:
            return `s=${nodeId.value}`;
        case NodeIdType.GUID:
            return `g=${String(nodeId.value).toLowerCase()}`;
        case NodeIdType.BYTESTRING:
            return `b=${Buffer.from(nodeId.value).toString("base64")}`;
        default:
            throw new Error(`unknown NodeId identifier type ${nodeId.identifierType}`);
    }
}

function numberToJson(value) {
    return Number.isFinite(value) ? value : String(value); // "NaN", "Infinity", "-Infinity"
}

/** node-opcua keeps 64-bit integers as [high, low] pairs of UInt32. */
function int64ToString(value, signed) {
    let big;
    if (Array.isArray(value)) {
        big = BigInt(value[0] >>> 0) * TWO_POW_32 + BigInt(value[1] >>> 0);
        if (signed && big >= TWO_POW_64 / 2n) {
            big -= TWO_POW_64;
        }
    } else {
        big = BigInt(value ?? 0);
    }
    return big.toString();
}

function extensionObjectToJson(value) {
    if (!value) {
        return null;
    }
    const schema = value.schema;
    if (!schema) {
        // an OpaqueStructure: a body whose type the decoder does not know
        return {
            typeId: value.nodeId ? nodeIdToText(value.nodeId) : null,
            body: value.buffer ? Buffer.from(value.buffer).toString("base64") : null
        };
    }
    return {
        typeId: schema.encodingDefaultBinary ? nodeIdToText(schema.encodingDefaultBinary) : null,
        dataTypeId: schema.dataTypeNodeId ? nodeIdToText(schema.dataTypeNodeId) : null,
        dataType: schema.name,
        fields: structureFieldsToJson(value)
    };
}

function structureFieldsToJson(structure) {
    const fields = {};
    for (const field of structure.schema.fields) {
        const fieldValue = structure[field.name];
        const convert = (element) => structureFieldToJson(field, element);
        fields[field.originalName ?? field.name] = field.isArray ? (fieldValue ? Array.from(fieldValue, convert) : null) : convert(fieldValue);
    }
    return fields;
}

function structureFieldToJson(field, value) {
    if (field.category === "complex") {
        return value ? structureFieldsToJson(value) : null;
    }
    if (field.category === "enumeration") {
        return Number(value);
    }
    return scalarToJson(basicFieldDataType(field), value);
}

/** A basic field's type may be a subtype (UtcTime, Duration, LocaleId...): walk up to the built-in type. */
function basicFieldDataType(field) {
    let schema = field.schema;
    let name = field.fieldType;
    while (DataType[name] === undefined && schema?.subType) {
        name = schema.subType;
        schema = undefined;
    }
    const dataType = DataType[name];
    if (dataType === undefined) {
        throw new Error(`field ${field.name}: cannot map type ${field.fieldType} to a built-in type`);
    }
    return dataType;
}

function dataValueToJson(dataValue) {
    if (!dataValue) {
        return null;
    }
    return {
        value: typedVariantToJson(dataValue.value),
        statusCode: dataValue.statusCode?.value ?? 0,
        sourceTimestamp: dateTimeToJson(dataValue.sourceTimestamp, dataValue.sourcePicoseconds),
        serverTimestamp: dateTimeToJson(dataValue.serverTimestamp, dataValue.serverPicoseconds)
    };
}

function diagnosticInfoToJson(info) {
    if (!info) {
        return null;
    }
    return {
        symbolicId: info.symbolicId,
        namespaceUri: info.namespaceURI ?? info.namespaceUri,
        locale: info.locale,
        localizedText: info.localizedText,
        additionalInfo: info.additionalInfo ?? null,
        innerStatusCode: info.innerStatusCode?.value ?? 0,
        innerDiagnosticInfo: diagnosticInfoToJson(info.innerDiagnosticInfo)
    };
}

// ---------------------------------------------------------------------------------------------
// JSON -> node-opcua value (client.mjs write)
// ---------------------------------------------------------------------------------------------

/**
 * Builds a Variant of the named built-in type from its JSON form: a JSON array gives a
 * one-dimensional array, {"dimensions", "elements"} a matrix, anything else a scalar.
 */
export function jsonToVariant(typeName, json) {
    const dataType = DataType[typeName];
    if (typeof dataType !== "number" || dataType === DataType.Null) {
        throw new TypeError(`unknown built-in type "${typeName}"`);
    }
    if (Array.isArray(json)) {
        return new Variant({
            dataType,
            arrayType: VariantArrayType.Array,
            value: json.map((element) => jsonToScalar(dataType, element))
        });
    }
    if (isMatrixJson(json)) {
        const expected = json.dimensions.reduce((product, dimension) => product * dimension, 1);
        if (json.elements.length !== expected) {
            throw new TypeError(`matrix has ${json.elements.length} elements, dimensions ${JSON.stringify(json.dimensions)} need ${expected}`);
        }
        return new Variant({
            dataType,
            arrayType: VariantArrayType.Matrix,
            dimensions: json.dimensions,
            value: json.elements.map((element) => jsonToScalar(dataType, element))
        });
    }
    return new Variant({ dataType, arrayType: VariantArrayType.Scalar, value: jsonToScalar(dataType, json) });
}

function isMatrixJson(json) {
    return json !== null && typeof json === "object" && Array.isArray(json.dimensions) && Array.isArray(json.elements);
}

/** One value of the given built-in type from its JSON form. */
export function jsonToScalar(dataType, json) {
    const name = builtInTypeName(dataType);
    const fail = (expected) => {
        throw new TypeError(`${name}: expected ${expected}, got ${JSON.stringify(json)}`);
    };
    switch (dataType) {
        case DataType.Boolean:
            return typeof json === "boolean" ? json : fail("true or false");
        case DataType.SByte:
        case DataType.Byte:
        case DataType.Int16:
        case DataType.UInt16:
        case DataType.Int32:
        case DataType.UInt32:
            return Number.isInteger(json) && integerFits(dataType, json) ? json : fail(`an integer in the ${name} range`);
        case DataType.Int64:
        case DataType.UInt64:
            return jsonToInt64(json, dataType === DataType.Int64) ?? fail(`a decimal string in the ${name} range`);
        case DataType.Float:
        case DataType.Double:
            return jsonToNumber(json) ?? fail('a number, "NaN", "Infinity" or "-Infinity"');
        case DataType.String:
        case DataType.XmlElement:
            return json === null || typeof json === "string" ? json : fail("a string or null");
        case DataType.DateTime:
            return jsonToDateTime(json) ?? fail('an ISO-8601 UTC string such as "2024-02-29T13:45:30.1234567Z"');
        case DataType.Guid:
            return typeof json === "string" && /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(json) ? json.toUpperCase() : fail("a Guid string");
        case DataType.ByteString:
            return json === null ? null : typeof json === "string" ? Buffer.from(json, "base64") : fail("a base64 string or null");
        case DataType.NodeId:
            return typeof json === "string" ? coerceNodeId(json) : fail('a NodeId text such as "ns=1;s=Foo"');
        case DataType.ExpandedNodeId:
            return typeof json === "string" ? textToExpandedNodeId(json) : fail('an ExpandedNodeId text such as "nsu=urn:x;s=Foo"');
        case DataType.StatusCode:
            return Number.isInteger(json) && integerFits(DataType.UInt32, json) ? getStatusCodeFromCode(json) : fail("a 32-bit status code number");
        case DataType.QualifiedName:
            return json && typeof json === "object" ? makeQualifiedName(json) : fail('{"namespaceIndex": n, "name": "..." | null}');
        case DataType.LocalizedText:
            return json && typeof json === "object" ? makeLocalizedText(json) : fail('{"locale": "..." | null, "text": "..." | null}');
        case DataType.Variant:
            return json && typeof json.type === "string" ? jsonToVariant(json.type, json.value) : fail('{"type": "<built-in type>", "value": ...}');
        default:
            throw new TypeError(`${name}: writing this built-in type from JSON is not supported`);
    }
}

// field by field: the option constructors turn "" into null (`options.text || null`)
function makeQualifiedName({ namespaceIndex = 0, name = null }) {
    const qualifiedName = new QualifiedName(null);
    qualifiedName.namespaceIndex = namespaceIndex;
    qualifiedName.name = name;
    return qualifiedName;
}

function makeLocalizedText({ locale = null, text = null }) {
    const localizedText = new LocalizedText(null);
    localizedText.locale = locale;
    localizedText.text = text;
    return localizedText;
}

const INTEGER_RANGES = {
    [DataType.SByte]: [-128, 127],
    [DataType.Byte]: [0, 255],
    [DataType.Int16]: [-32768, 32767],
    [DataType.UInt16]: [0, 65535],
    [DataType.Int32]: [-2147483648, 2147483647],
    [DataType.UInt32]: [0, 4294967295]
};

function integerFits(dataType, value) {
    const [min, max] = INTEGER_RANGES[dataType];
    return value >= min && value <= max;
}

/** [high, low] for node-opcua, from a decimal string (or a safe integer); undefined if invalid. */
function jsonToInt64(json, signed) {
    let big;
    try {
        if (typeof json === "string" && /^-?\d+$/.test(json)) {
            big = BigInt(json);
        } else if (Number.isSafeInteger(json)) {
            big = BigInt(json);
        } else {
            return undefined;
        }
    } catch {
        return undefined;
    }
    const [min, max] = signed ? [-(TWO_POW_64 / 2n), TWO_POW_64 / 2n - 1n] : [0n, TWO_POW_64 - 1n];
    if (big < min || big > max) {
        return undefined;
    }
    const unsigned = big < 0n ? big + TWO_POW_64 : big;
    return [Number(unsigned / TWO_POW_32), Number(unsigned % TWO_POW_32)];
}

function jsonToNumber(json) {
    if (typeof json === "number") {
        return json;
    }
    return { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, "-Infinity": Number.NEGATIVE_INFINITY }[json];
}

/** A Date carrying the 100 ns ticks below the millisecond in .picoseconds, as node-opcua encodes it. */
export function jsonToDateTime(json) {
    const match = typeof json === "string" && /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/.exec(json);
    if (!match) {
        return undefined;
    }
    const fraction = (match[2] ?? "").padEnd(7, "0");
    const date = new Date(`${match[1]}.${fraction.slice(0, 3)}Z`);
    if (Number.isNaN(date.getTime())) {
        return undefined;
    }
    date.picoseconds = Number(fraction.slice(3)) * 100_000;
    return date;
}

/** Parses "svr=<n>;nsu=<uri>;s=..." / "ns=<n>;i=..." (svr and nsu optional). */
export function textToExpandedNodeId(text) {
    let rest = text;
    let serverIndex = 0;
    let namespaceUri = null;
    const svr = /^svr=(\d+);/.exec(rest);
    if (svr) {
        serverIndex = Number(svr[1]);
        rest = rest.slice(svr[0].length);
    }
    const nsu = /^nsu=([^;]*);/.exec(rest);
    if (nsu) {
        namespaceUri = nsu[1];
        rest = rest.slice(nsu[0].length);
    }
    const nodeId = coerceNodeId(rest);
    return new ExpandedNodeId(nodeId.identifierType, nodeId.value, nodeId.namespace, namespaceUri, serverIndex);
}
