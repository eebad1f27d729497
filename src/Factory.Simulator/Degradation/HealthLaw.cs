namespace Factory.Simulator.Degradation;

/// <summary>
/// How health falls from 1 at the onset of a fault to 0 at failure: an exponential damage law,
/// h(x) = 1 − (e^(g·x) − 1) / (e^g − 1) with x the fraction of the onset-to-failure interval
/// gone. Damage grows slowly at first and accelerates (a spall that grows with every roller
/// pass); the growth g sets how sharply. g near 0 is a straight line.
/// </summary>
public static class HealthLaw
{
    public static double Health(double fraction, double growth)
    {
        if (fraction <= 0)
        {
            return 1;
        }

        if (fraction >= 1)
        {
            return 0;
        }

        if (growth < 1e-6)
        {
            return 1 - fraction;
        }

        return 1 - (Math.Exp(growth * fraction) - 1) / (Math.Exp(growth) - 1);
    }
}
