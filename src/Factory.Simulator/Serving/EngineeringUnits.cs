using Factory.OpcUa.Types;

namespace Factory.Simulator.Serving;

/// <summary>
/// EUInformation of a unit (OPC 10000-8, 5.6.3): the UNECE Recommendation 20 common code packed
/// into UnitId, so that a client can tell °C from °F without parsing display text.
/// </summary>
internal static class EngineeringUnits
{
    public const string UneceNamespace = "http://www.opcfoundation.org/UA/units/un/cefact";

    private static readonly Dictionary<string, (string Code, string Description)> Codes = new(StringComparer.Ordinal)
    {
        ["°C"] = ("CEL", "degree Celsius"),
        ["degC"] = ("CEL", "degree Celsius"),
        ["°F"] = ("FAH", "degree Fahrenheit"),
        ["K"] = ("KEL", "kelvin"),
        ["mm/s"] = ("C16", "millimetre per second"),
        ["in/s"] = ("IU", "inch per second"),
        ["m/s"] = ("MTS", "metre per second"),
        ["A"] = ("AMP", "ampere"),
        ["mA"] = ("4K", "milliampere"),
        ["%"] = ("P1", "percent"),
        ["rpm"] = ("RPM", "revolutions per minute"),
        ["1/min"] = ("RPM", "revolutions per minute"),
        ["Hz"] = ("HTZ", "hertz"),
        ["N·m"] = ("NU", "newton metre"),
        ["Nm"] = ("NU", "newton metre"),
        ["N m"] = ("NU", "newton metre"),
        ["bar"] = ("BAR", "bar"),
        ["kPa"] = ("KPA", "kilopascal"),
        ["MPa"] = ("MPA", "megapascal"),
        ["psi"] = ("PS", "pound-force per square inch"),
        ["m³/h"] = ("MQH", "cubic metre per hour"),
        ["m3/h"] = ("MQH", "cubic metre per hour"),
        ["l/min"] = ("L2", "litre per minute"),
        ["L/min"] = ("L2", "litre per minute"),
        ["N"] = ("NEU", "newton"),
        ["kN"] = ("B47", "kilonewton"),
        ["kW"] = ("KWT", "kilowatt"),
        ["W"] = ("WTT", "watt"),
        ["s"] = ("SEC", "second"),
        ["h"] = ("HUR", "hour"),
    };

    public static EUInformation For(string unit)
    {
        if (!Codes.TryGetValue(unit.Trim(), out var entry))
        {
            // OPC 10000-8: -1 when no UNECE code is known for the unit.
            return new EUInformation(UneceNamespace, -1, unit, unit);
        }

        var id = 0;
        foreach (var c in entry.Code)
        {
            id = (id << 8) | c;
        }

        return new EUInformation(UneceNamespace, id, unit, entry.Description);
    }
}
