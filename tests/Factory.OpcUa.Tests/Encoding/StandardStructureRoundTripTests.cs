using Factory.OpcUa.Encoding;
using Factory.OpcUa.Fuzz;
using Factory.OpcUa.Types;
using static Factory.OpcUa.Tests.Encoding.Wire;

namespace Factory.OpcUa.Tests.Encoding;

/// <summary>
/// Every structure in <see cref="StandardTypes.All"/> (the requests, responses and types of
/// OPC 10000-4 and 10000-5, encoded field by field as OPC 10000-6, 5.2.6 says) round trips as a
/// message body (7.1.2) with random content: it decodes to an equal structure and re-encodes to
/// the same bytes. The content comes from the fuzzer's <see cref="RandomStructures"/> in canonical
/// mode, seeded by <see cref="Property.Seed"/>.
/// </summary>
public sealed class StandardStructureRoundTripTests
{
    public static TheoryData<string> Structures => new(RandomStructures.Types.Select(t => t.Name));

    [Fact]
    public void Every_structure_of_the_types_namespace_is_in_the_standard_table()
    {
        var declared = typeof(StandardTypes).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(StandardTypes).Namespace && !t.IsAbstract && !t.IsInterface)
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEncodeable<>)));

        declared.Should().BeEquivalentTo(RandomStructures.Types, "a structure missing from StandardTypes.All would arrive as raw bytes");
        StandardTypes.All.Count.Should().Be(RandomStructures.Types.Count, "every entry of the table is one of these types");
    }

    [Theory]
    [MemberData(nameof(Structures))]
    public void Structure_round_trips_as_a_message_with_random_content(string name)
    {
        var type = RandomStructures.Types.Single(t => t.Name == name);
        var structures = new RandomStructures(new RandomValues(FuzzRandom.For(Property.Seed, name), canonical: true));
        var encodingId = Encode(e => e.WriteNodeId(RandomStructures.EncodingIdOf(type)));

        for (var i = 0; i < 15; i++)
        {
            var message = structures.Create(type);
            var wire = Encode(e => e.WriteMessage(message));
            wire.AsSpan(0, encodingId.Length).ToArray().Should().Equal(encodingId, "a message starts with the id of its binary encoding");

            var decoded = Decode(wire, d => d.ReadMessage(), StandardTypes.All);
            decoded.Should().BeOfType(type);
            decoded.Should().BeEquivalentTo(message, ServiceMessageRoundTripTests.Structurally, "case {0} of {1}", i, name);
            Encode(e => e.WriteMessage(decoded)).Should().Equal(wire, "case {0} of {1} re-encodes to the same bytes", i, name);
        }
    }
}
