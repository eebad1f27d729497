using System.Reflection;
using Factory.OpcUa.Encoding;
using Factory.OpcUa.Types;

namespace Factory.OpcUa.Fuzz;

/// <summary>
/// Random instances of every structure in <see cref="StandardTypes.All"/>, built through each
/// record's primary constructor with random arguments. Working from the constructor signatures
/// means a structure added to the table is covered without anyone writing a generator for it.
/// </summary>
public sealed class RandomStructures(RandomValues values)
{
    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>The structure types of this stack that <see cref="StandardTypes.All"/> decodes, in a stable order.</summary>
    public static IReadOnlyList<Type> Types { get; } = typeof(StandardTypes).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsInterface: false } && t.GetInterfaces().Any(IsEncodeableOfSelf))
        .Where(t => StandardTypes.All.Contains(EncodingIdOf(t)))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The DefaultBinary encoding id a structure type declares.</summary>
    public static NodeId EncodingIdOf(Type type) =>
        (NodeId)type.GetProperty(nameof(IEncodeable<ReadRequest>.EncodingId), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    /// <summary>An instance of <paramref name="type"/>; past <paramref name="depth"/> 4 arrays stay empty so nesting ends.</summary>
    public IEncodeable Create(Type type, int depth = 0)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => Argument(p.ParameterType, Nullability.Create(p), depth)).ToArray();
        return (IEncodeable)constructor.Invoke(arguments);
    }

    public IEncodeable Create(int depth = 0) => Create(values.Random.Pick(Types), depth);

    /// <summary>A value for a parameter or array element; <paramref name="nullability"/> says whether null is allowed.</summary>
    private object? Argument(Type type, NullabilityInfo nullability, int depth)
    {
        var random = values.Random;
        var nullable = nullability.WriteState == NullabilityState.Nullable;
        // A null LocalizedText reads back as LocalizedText.Null, so canonical values never hold one.
        if (nullable && !type.IsValueType && random.OneIn(5) && !(values.Canonical && type == typeof(LocalizedText)))
        {
            return null;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return random.OneIn(3) ? null : Builtin(underlying, depth);
        }

        if (type.IsEnum)
        {
            // Mostly defined values; sometimes any Int32, which the encoding carries just the same.
            var defined = Enum.GetValues(type);
            return random.OneIn(4)
                ? Enum.ToObject(type, (int)random.NextUInt32())
                : defined.GetValue(random.Next(defined.Length));
        }

        if (type.IsArray)
        {
            var elementType = type.GetElementType()!;
            var length = depth > 4 ? 0 : random.Next(6) switch { 0 => 0, 1 or 2 => 1, 3 or 4 => random.Next(2, 4), _ => random.Next(4, 8) };
            var array = Array.CreateInstance(elementType, length);
            for (var i = 0; i < length; i++)
            {
                // Elements of arrays such as string?[] may be null, as on the wire; structures may not.
                array.SetValue(Argument(elementType, nullability.ElementType!, depth + 1), i);
            }

            return array;
        }

        if (typeof(IEncodeable).IsAssignableFrom(type))
        {
            return Create(type, depth + 1);
        }

        return Builtin(type, depth) ?? throw new NotSupportedException($"No random {type.Name} for a structure field.");
    }

    private object? Builtin(Type type, int depth)
    {
        var random = values.Random;
        return type switch
        {
            _ when type == typeof(bool) => random.NextBool(),
            _ when type == typeof(sbyte) => (sbyte)random.Next(-128, 128),
            _ when type == typeof(byte) => (byte)random.Next(0, 256),
            _ when type == typeof(short) => (short)random.Next(short.MinValue, short.MaxValue + 1),
            _ when type == typeof(ushort) => (ushort)random.Next(0, 65536),
            _ when type == typeof(int) => random.OneIn(2) ? random.Next(0, 1000) : (int)random.NextUInt32(),
            _ when type == typeof(uint) => random.OneIn(2) ? (uint)random.Next(0, 1000) : random.NextUInt32(),
            _ when type == typeof(long) => (long)random.NextUInt64(),
            _ when type == typeof(ulong) => random.NextUInt64(),
            _ when type == typeof(float) => values.Float(),
            _ when type == typeof(double) => values.Double(),
            _ when type == typeof(string) => values.Text(),
            _ when type == typeof(DateTime) => values.DateTime(),
            _ when type == typeof(Guid) => values.Guid(),
            _ when type == typeof(byte[]) => values.Bytes(),
            _ when type == typeof(NodeId) => values.NodeId(),
            _ when type == typeof(ExpandedNodeId) => values.ExpandedNodeId(),
            _ when type == typeof(StatusCode) => values.StatusCode(),
            _ when type == typeof(QualifiedName) => values.QualifiedName(),
            _ when type == typeof(LocalizedText) => values.LocalizedText() ?? LocalizedText.Null,
            _ when type == typeof(XmlElement) => values.XmlElement(),
            _ when type == typeof(DataValue) => values.DataValue(depth),
            _ when type == typeof(Variant) => values.Variant(depth),
            _ when type == typeof(DiagnosticInfo) => values.DiagnosticInfo() ?? new DiagnosticInfo(SymbolicId: 0),
            _ when type == typeof(ExtensionObject) => values.ExtensionObject(depth > 3 ? null : () => Create(depth + 1)),
            _ => null,
        };
    }

    private static bool IsEncodeableOfSelf(Type contract) =>
        contract.IsGenericType && contract.GetGenericTypeDefinition() == typeof(IEncodeable<>);
}
