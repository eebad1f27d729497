using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Fuzz;

/// <summary>
/// A reader of the binary encoding (OPC 10000-6, 5.2). It may refuse input only with a
/// <see cref="DecodingException"/> (or a <see cref="ServiceResultException"/> carrying
/// BadDecodingError or BadEncodingLimitsExceeded). What it accepts must survive a second trip:
/// the decoded value is encoded, decoded and encoded again, and the two encodings must be equal.
/// A failure there means the encoder wrote something the decoder refuses, or decoding changed
/// a value twice, and is reported as a finding.
/// </summary>
public abstract class DecoderTarget<T> : IFuzzTarget
{
    public abstract string Name { get; }

    public IEnumerable<byte[]> Corpus(RandomValues values) => Values(values).Select(Encode);

    public virtual void Run(byte[] input)
    {
        var value = Read(new BinaryDecoder(input, StandardTypes.All));

        byte[] first, second;
        try
        {
            first = Encode(value);
            second = Encode(Read(new BinaryDecoder(first, StandardTypes.All)));
        }
        catch (Exception e)
        {
            throw new FuzzOracleException($"the accepted value {Describe(value)} did not survive encoding and decoding again: {e.Message}", e);
        }

        if (!first.AsSpan().SequenceEqual(second))
        {
            throw new FuzzOracleException(
                $"the accepted value {Describe(value)} encodes as {Convert.ToHexString(first)} but after another trip as {Convert.ToHexString(second)}");
        }
    }

    public bool IsRejection(Exception exception) => exception is DecodingException
        || (exception is ServiceResultException result && result.StatusCode.CodeBits is StatusCodes.BadDecodingError or StatusCodes.BadEncodingLimitsExceeded);

    protected abstract T Read(BinaryDecoder decoder);

    protected abstract void Write(BinaryEncoder encoder, T value);

    protected abstract IEnumerable<T> Values(RandomValues values);

    private byte[] Encode(T value)
    {
        using var encoder = new BinaryEncoder(256);
        Write(encoder, value);
        return encoder.ToArray();
    }

    private static string Describe(T value)
    {
        var text = value?.ToString() ?? "null";
        return text.Length <= 200 ? text : text[..200] + "...";
    }
}

/// <summary>A service message as a chunk body carries it: encoding id, then the structure (7.1.2).</summary>
public sealed class MessageTarget : DecoderTarget<IEncodeable>
{
    public override string Name => "message";

    protected override IEncodeable Read(BinaryDecoder decoder) => decoder.ReadMessage();

    protected override void Write(BinaryEncoder encoder, IEncodeable value) => encoder.WriteMessage(value);

    /// <summary>Every structure of <see cref="StandardTypes.All"/>, four times with different random content.</summary>
    protected override IEnumerable<IEncodeable> Values(RandomValues values)
    {
        var structures = new RandomStructures(values);
        return RandomStructures.Types.SelectMany(type => Enumerable.Range(0, 4).Select(_ => structures.Create(type)));
    }
}

public sealed class VariantTarget : DecoderTarget<Variant>
{
    public override string Name => "variant";

    protected override Variant Read(BinaryDecoder decoder) => decoder.ReadVariant();

    protected override void Write(BinaryEncoder encoder, Variant value) => encoder.WriteVariant(value);

    protected override IEnumerable<Variant> Values(RandomValues values) => Enumerable.Range(0, 400).Select(_ => values.Variant());
}

public sealed class DataValueTarget : DecoderTarget<DataValue>
{
    public override string Name => "datavalue";

    protected override DataValue Read(BinaryDecoder decoder) => decoder.ReadDataValue();

    protected override void Write(BinaryEncoder encoder, DataValue value) => encoder.WriteDataValue(value);

    protected override IEnumerable<DataValue> Values(RandomValues values) => Enumerable.Range(0, 200).Select(_ => values.DataValue());
}

public sealed class ExtensionObjectTarget : DecoderTarget<ExtensionObject>
{
    public override string Name => "extensionobject";

    protected override ExtensionObject Read(BinaryDecoder decoder) => decoder.ReadExtensionObject();

    protected override void Write(BinaryEncoder encoder, ExtensionObject value) => encoder.WriteExtensionObject(value);

    /// <summary>Every known structure as a body, then unknown, XML and empty bodies.</summary>
    protected override IEnumerable<ExtensionObject> Values(RandomValues values)
    {
        var structures = new RandomStructures(values);
        return RandomStructures.Types.Select(type => new ExtensionObject(structures.Create(type)))
            .Concat(Enumerable.Range(0, 100).Select(_ => values.ExtensionObject(() => structures.Create())));
    }
}

public sealed class DiagnosticInfoTarget : DecoderTarget<DiagnosticInfo?>
{
    public override string Name => "diagnosticinfo";

    protected override DiagnosticInfo? Read(BinaryDecoder decoder) => decoder.ReadDiagnosticInfo();

    protected override void Write(BinaryEncoder encoder, DiagnosticInfo? value) => encoder.WriteDiagnosticInfo(value);

    protected override IEnumerable<DiagnosticInfo?> Values(RandomValues values) => Enumerable.Range(0, 150).Select(_ => values.DiagnosticInfo());
}

/// <summary>ExpandedNodeIds, which include plain NodeIds; each input is also read as a plain NodeId.</summary>
public sealed class NodeIdTarget : DecoderTarget<ExpandedNodeId>
{
    public override string Name => "nodeid";

    public override void Run(byte[] input)
    {
        try
        {
            new BinaryDecoder(input).ReadNodeId();
        }
        catch (DecodingException)
        {
            // Refused as a plain NodeId (for instance because of the expanded flags); read it as expanded below.
        }

        base.Run(input);
    }

    protected override ExpandedNodeId Read(BinaryDecoder decoder) => decoder.ReadExpandedNodeId();

    protected override void Write(BinaryEncoder encoder, ExpandedNodeId value) => encoder.WriteExpandedNodeId(value);

    protected override IEnumerable<ExpandedNodeId> Values(RandomValues values) =>
        Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? new ExpandedNodeId(values.NodeId()) : values.ExpandedNodeId());
}

/// <summary>A value a target accepted did not come back the same after another encode and decode.</summary>
public sealed class FuzzOracleException : Exception
{
    public FuzzOracleException()
    {
    }

    public FuzzOracleException(string message) : base(message)
    {
    }

    public FuzzOracleException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
