using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Havale.Api.Storage.Migrations.Postgres
{
    /// <summary>
    /// An index of the holds no row resolves yet, kept by the database itself: recovery read every Pending transfer
    /// ever written to find the few still open (18 ms at 50,000 transfers, growing with the ledger). A statement-level
    /// trigger adds the holds an INSERT writes and removes the ones it resolves, once per statement (the hot path
    /// writes each kind of row with one statement a batch). Not in the EF Core model: only recovery reads it.
    /// </summary>
    public partial class OpenHolds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE open_holds (hold_id bigint PRIMARY KEY);
                -- A queue: every hold is a row in and, soon after, a row out. Vacuumed after a thousand dead rows
                -- whatever its size, so that a scan of its few live rows does not wade through the dead ones.
                ALTER TABLE open_holds SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);

                INSERT INTO open_holds (hold_id)
                SELECT hold.id FROM ledger_transfers AS hold
                WHERE hold.kind = 'Pending'
                  AND NOT EXISTS (SELECT 1 FROM ledger_transfers AS resolution WHERE resolution.pending_id = hold.id);

                CREATE FUNCTION havale_keep_open_holds() RETURNS trigger LANGUAGE plpgsql AS $body$
                BEGIN
                    INSERT INTO open_holds (hold_id) SELECT id FROM written WHERE kind = 'Pending';
                    DELETE FROM open_holds USING written WHERE open_holds.hold_id = written.pending_id;
                    RETURN NULL;
                END
                $body$;

                CREATE TRIGGER ledger_transfers_keep_open_holds AFTER INSERT ON ledger_transfers
                REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION havale_keep_open_holds();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER ledger_transfers_keep_open_holds ON ledger_transfers;
                DROP FUNCTION havale_keep_open_holds();
                DROP TABLE open_holds;
                """);
        }
    }
}
