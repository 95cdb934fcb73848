namespace Havale.Api.CallLog;

/// <summary>The call log, one row a call. Why a slice names its own tables: <see cref="HavaleDb"/>.</summary>
public static class CallLogTables
{
    extension(HavaleDb db)
    {
        public DbSet<CallRecord> CallRecords => db.Set<CallRecord>();
    }
}
