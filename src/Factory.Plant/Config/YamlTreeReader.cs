using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Factory.Plant.Config;

/// <summary>The YAML document as a JSON tree, where each node stands in the text, and whether it could be read at all.</summary>
internal sealed record YamlTree(JsonNode? Root, SourceMap Map, bool IsEmpty, bool HasSyntaxError);

/// <summary>
/// Reads YAML into a JSON tree, recording the line and column of every node under its JSON
/// pointer. Works on the parser's events rather than YamlDotNet's representation model because
/// that model stops at the first duplicate key; here a duplicate key is one more error to report,
/// and reading goes on. Scalars follow the YAML 1.2 core schema, so <c>on</c>, <c>no</c> and
/// <c>06:00</c> stay text. Anchors, aliases and merge keys (<c>&lt;&lt;: *defaults</c>) work, so a plant
/// engineer can share sensor defaults.
/// </summary>
internal sealed partial class YamlTreeReader
{
    private const string MergeKey = "<<";

    private readonly Parser _parser;
    private readonly SourceMap _map = new();
    private readonly ConfigErrorList _errors;
    private readonly Dictionary<string, (JsonNode? Node, string Pointer)> _anchors = new(StringComparer.Ordinal);
    private readonly Stack<(Position At, char Bracket)> _openFlows = new();
    private string _current = "";
    private Position _read = Position.Start;
    private int _discarded;

    private YamlTreeReader(string yaml, ConfigErrorList errors)
    {
        _parser = new Parser(new StringReader(yaml));
        _errors = errors;
    }

    private ParsingEvent Current => _parser.Current ?? throw new InvalidOperationException("The YAML parser ended before the end of the stream.");

    public static YamlTree Read(string yaml, ConfigErrorList errors)
    {
        var reader = new YamlTreeReader(yaml, errors);
        try
        {
            var (root, isEmpty) = reader.ReadStream();
            return new YamlTree(root, reader._map, isEmpty, HasSyntaxError: false);
        }
        catch (YamlException e) when (e.Message.Contains("flow", StringComparison.OrdinalIgnoreCase)
            && reader._openFlows.TryPeek(out var open) && e.Start.Line > open.At.Line)
        {
            // The parser notices a missing } or ] lines later, where the text goes on; the bracket is what to fix.
            errors.Add(open.At, reader._current, $"YAML syntax error: the '{open.Bracket}' opened here is not closed (or a ',' is missing inside it)");
        }
        catch (YamlException e)
        {
            errors.Add(new Position(ToInt(e.Start.Line), ToInt(e.Start.Column)), reader._current, "YAML syntax error: " + Describe(e));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way, without a position, when a { or [ is never closed.
            var message = reader._openFlows.TryPeek(out var open)
                ? $"YAML syntax error: the '{open.Bracket}' opened here is not closed (or a ',' is missing inside it)"
                : "YAML syntax error: the text after this point cannot be read; is a '{', '[' or quote not closed?";
            errors.Add(open.Bracket != default ? open.At : reader._read, reader._current, message);
        }

        return new YamlTree(null, reader._map, IsEmpty: false, HasSyntaxError: true);
    }

    private (JsonNode? Root, bool IsEmpty) ReadStream()
    {
        Next(); // onto StreamStart
        Next(); // onto the first DocumentStart, or StreamEnd when there is no document (only comments)
        if (Current is StreamEnd)
        {
            return (null, true);
        }

        Next(); // past DocumentStart
        var root = ReadNode("", key: null);
        Next(); // past DocumentEnd
        if (Current is DocumentStart second)
        {
            _errors.Add(At(second.Start), "", "a plant configuration file holds one YAML document, but a second one starts here ('---')");
        }

        return (root, root is null);
    }

    private JsonNode? ReadNode(string pointer, Position? key)
    {
        _current = pointer;
        var start = Current;
        JsonNode? node;
        switch (start)
        {
            case AnchorAlias alias:
                Next();
                return ResolveAlias(alias, pointer, key);
            case Scalar scalar:
                Next();
                _map.Record(pointer, key, At(scalar.Start), isContainer: false);
                node = ScalarValue(scalar);
                break;
            case SequenceStart sequence:
                OpenFlow(sequence.Style == SequenceStyle.Flow, sequence, '[');
                _map.Record(pointer, key, At(start.Start), isContainer: true);
                node = ReadSequence(pointer);
                CloseFlow(sequence.Style == SequenceStyle.Flow);
                break;
            case MappingStart mapping:
                OpenFlow(mapping.Style == MappingStyle.Flow, mapping, '{');
                _map.Record(pointer, key, At(start.Start), isContainer: true);
                node = ReadMapping(pointer);
                CloseFlow(mapping.Style == MappingStyle.Flow);
                break;
            default:
                throw new YamlException(start.Start, start.End, $"unexpected {start.GetType().Name}");
        }

        if (start is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            _anchors[anchored.Anchor.Value] = (node, pointer);
        }

        return node;
    }

    private void OpenFlow(bool isFlow, ParsingEvent start, char bracket)
    {
        if (isFlow)
        {
            _openFlows.Push((At(start.Start), bracket));
        }

        Next();
    }

    private void CloseFlow(bool isFlow)
    {
        if (isFlow)
        {
            _openFlows.Pop();
        }
    }

    private JsonArray ReadSequence(string pointer)
    {
        var array = new JsonArray();
        for (var i = 0; Current is not SequenceEnd; i++)
        {
            array.Add(ReadNode(PointerText.Append(pointer, i), key: null));
        }

        Next();
        return array;
    }

    private JsonObject ReadMapping(string pointer)
    {
        var mapping = new JsonObject();
        var keys = new Dictionary<string, Position>(StringComparer.Ordinal);
        var merges = new List<(JsonNode? Node, string Pointer)>();
        while (Current is not MappingEnd)
        {
            if (Current is not Scalar keyScalar)
            {
                _errors.Add(At(Current.Start), pointer, "a key must be plain text, not a list or mapping");
                Discard();
                Discard();
                continue;
            }

            Next();
            var name = keyScalar.Value;
            var keyAt = At(keyScalar.Start);
            if (name == MergeKey && keyScalar.Style == ScalarStyle.Plain)
            {
                ReadMergeSources(pointer, merges);
                continue;
            }

            var child = PointerText.Append(pointer, name);
            if (keys.TryGetValue(name, out var first))
            {
                _errors.Add(keyAt, child, $"field '{name}' appears twice in this mapping: first at line {first.Line}; the second is ignored");
                Discard();
                continue;
            }

            keys.Add(name, keyAt);
            mapping[name] = ReadNode(child, keyAt);
            _current = pointer;
        }

        Next();

        // Keys written in the mapping win over merged ones, wherever the merge key stands (YAML merge key rules).
        foreach (var (source, sourcePointer) in merges)
        {
            if (source is not JsonObject sourceMapping)
            {
                _errors.Add(_map.Locate(pointer), pointer, "a merge key '<<' must refer to a mapping");
                continue;
            }

            foreach (var (name, value) in sourceMapping)
            {
                if (mapping.ContainsKey(name))
                {
                    continue;
                }

                mapping[name] = value?.DeepClone();
                var from = PointerText.Append(sourcePointer, name);
                var to = PointerText.Append(pointer, name);
                _map.Copy(from, to, _map.Locate(from, atKey: true), _map.Locate(from));
            }
        }

        return mapping;
    }

    private void ReadMergeSources(string pointer, List<(JsonNode? Node, string Pointer)> merges)
    {
        if (Current is AnchorAlias alias)
        {
            Next();
            if (Anchor(alias) is { } source)
            {
                merges.Add(source);
            }

            return;
        }

        if (Current is not SequenceStart)
        {
            _errors.Add(At(Current.Start), pointer, "a merge key '<<' takes an alias (*name) or a list of aliases");
            Discard();
            return;
        }

        Next();
        while (Current is not SequenceEnd)
        {
            if (Current is AnchorAlias item)
            {
                Next();
                if (Anchor(item) is { } source)
                {
                    merges.Add(source);
                }
            }
            else
            {
                _errors.Add(At(Current.Start), pointer, "a merge key '<<' takes an alias (*name) or a list of aliases");
                Discard();
            }
        }

        Next();
    }

    private JsonNode? ResolveAlias(AnchorAlias alias, string pointer, Position? key)
    {
        if (Anchor(alias) is not { } anchored)
        {
            _map.Record(pointer, key, At(alias.Start), isContainer: false);
            return null;
        }

        _map.Copy(anchored.Pointer, pointer, key, At(alias.Start));
        return anchored.Node?.DeepClone();
    }

    private (JsonNode? Node, string Pointer)? Anchor(AnchorAlias alias)
    {
        if (_anchors.TryGetValue(alias.Value.Value, out var anchored))
        {
            return anchored;
        }

        _errors.Add(At(alias.Start), _current, $"alias *{alias.Value.Value} refers to no anchor &{alias.Value.Value} above it");
        return null;
    }

    /// <summary>Reads a node that is not kept (the value of a duplicate key) under a pointer no error names.</summary>
    private void Discard()
    {
        var current = _current;
        ReadNode($"\0discarded/{_discarded++}", key: null);
        _current = current;
    }

    private void Next()
    {
        if (_parser.Current is { } read)
        {
            _read = At(read.End);
        }

        if (!_parser.MoveNext())
        {
            throw new YamlException("The YAML text ends in the middle of a node.");
        }
    }

    /// <summary>The YAML 1.2 core schema: plain scalars may be null, booleans or numbers; quoted ones are text.</summary>
    private static JsonValue? ScalarValue(Scalar scalar)
    {
        var text = scalar.Value;
        var tag = scalar.Tag;
        if (scalar.Style != ScalarStyle.Plain || (!tag.IsEmpty && (tag.IsNonSpecific || tag.Value == "tag:yaml.org,2002:str")))
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (DecimalInteger().IsMatch(text))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? JsonValue.Create(integer)
                : JsonValue.Create(text);
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && OctalDigits().IsMatch(text[2..]))
        {
            return JsonValue.Create(Convert.ToInt64(text[2..], 8));
        }

        // .inf, .nan and 1e400 have no JSON form; they stay text, so the schema names them as not a number.
        return FloatingPoint().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }

    private static string Describe(YamlException e)
    {
        // Messages start with a capital and sometimes repeat the position; the caller gives the position.
        var message = LeadingPosition().Replace(e.Message, "").Trim().TrimEnd('.');
        if (message.Length == 0)
        {
            return "the text is not YAML";
        }

        message = char.ToLowerInvariant(message[0]) + message[1..];

        // The parser's words for a line indented unlike its neighbours, the most common slip in a YAML file.
        return message.Contains("did not find expected", StringComparison.Ordinal)
            ? message + " (check the indentation of this line)"
            : message;
    }

    private static Position At(Mark mark) => new(ToInt(mark.Line), ToInt(mark.Column));

    private static int ToInt(long value) => (int)Math.Clamp(value, 0, int.MaxValue);

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^[0-7]+$")]
    private static partial Regex OctalDigits();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatingPoint();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex LeadingPosition();
}
