using Havale.Api.Storage;
using Microsoft.EntityFrameworkCore;

namespace Havale.Api.CallLog;

/// <summary>
/// The call log's table. They are extension properties, not members of <see cref="HavaleDb"/>, so that Storage knows
/// nothing of the slices above it; the tables' shapes are this slice's <c>IEntityTypeConfiguration</c>s, which the
/// model applies.
/// </summary>
public static class CallLogTables
{
    extension(HavaleDb db)
    {
        public DbSet<CallRecord> CallRecords => db.Set<CallRecord>();
    }
}
